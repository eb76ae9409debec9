"""Identifier search keys, and the reason of a dismissal.

`identifiers.number_key` is the value as searched (letters and digits, upper case), filled in
for the rows already there; `decisions.reason` says why a hit was dismissed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REASONS = ("different_person", "not_listed", "duplicate", "other")


def _number_key(value: str) -> str:
    # The rule of watchlist.models.registry.number_key, frozen as of this revision.
    return "".join(char for char in value if char.isalnum()).upper()


def upgrade() -> None:
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number_key", sa.String(length=300), nullable=True))
    identifiers = sa.table(
        "identifiers", sa.column("id", sa.Integer), sa.column("value", sa.String),
        sa.column("number_key", sa.String),
    )  # fmt: skip
    connection = op.get_bind()
    rows = connection.execute(sa.select(identifiers.c.id, identifiers.c.value)).all()
    if rows:
        connection.execute(
            identifiers.update()
            .where(identifiers.c.id == sa.bindparam("row_id"))
            .values(number_key=sa.bindparam("key")),
            [{"row_id": row_id, "key": _number_key(value or "")} for row_id, value in rows],
        )
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.alter_column("number_key", existing_type=sa.String(length=300), nullable=False)
        batch_op.create_index(batch_op.f("ix_identifiers_number_key"), ["number_key"])
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "reason",
                sa.Enum(*_REASONS, name="dismiss_reason", native_enum=False,
                        create_constraint=True, length=24),  # fmt: skip
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_decisions_dismiss_reason"), type_="check")
        batch_op.drop_column("reason")
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identifiers_number_key"))
        batch_op.drop_column("number_key")
