"""One party, several listings: links between the listings of one party on different lists,
and each list's short label.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 00:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The labels of the sources this project imported before the column existed.
_LABELS = {
    "us_ofac_sdn": "OFAC SDN",
    "us_ofac_cons": "OFAC Consolidated",
    "un_sc_consolidated": "UN",
    "opensanctions": "OpenSanctions",
}


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite has it for a nullable column): a batch copy of list_sources
    # would drop a table that every entity refers to.
    op.add_column("list_sources", sa.Column("label", sa.String(length=64), nullable=True))
    sources = sa.table("list_sources", sa.column("code", sa.String), sa.column("label", sa.String))
    for code, label in _LABELS.items():
        op.execute(sources.update().where(sources.c.code == code).values(label=label))
    op.create_table(
        "party_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "automatic",
                "proposed",
                "confirmed",
                "rejected",
                name="link_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("entity_id < other_id", name=op.f("ck_party_links_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_party_links_entity_id_entities"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["entities.id"],
            name=op.f("fk_party_links_other_id_entities"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_links")),
        sa.UniqueConstraint("entity_id", "other_id", name=op.f("uq_party_links_entity_id_other_id")),
    )
    with op.batch_alter_table("party_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_links_entity_id"), ["entity_id"])
        batch_op.create_index(batch_op.f("ix_party_links_other_id"), ["other_id"])


def downgrade() -> None:
    with op.batch_alter_table("party_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_party_links_other_id"))
        batch_op.drop_index(batch_op.f("ix_party_links_entity_id"))
    op.drop_table("party_links")
    op.drop_column("list_sources", "label")
