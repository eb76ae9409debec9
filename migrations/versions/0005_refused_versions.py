"""List versions refused by the plausibility guard, with the reason.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("list_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refusal", sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f("ck_list_versions_version_status"), type_="check")
        batch_op.create_check_constraint(
            "version_status", sa.column("status").in_(["changed", "unchanged", "refused"])
        )


def downgrade() -> None:
    op.execute("DELETE FROM list_versions WHERE status = 'refused'")
    with op.batch_alter_table("list_versions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_list_versions_version_status"), type_="check")
        batch_op.create_check_constraint(
            "version_status", sa.column("status").in_(["changed", "unchanged"])
        )
        batch_op.drop_column("refusal")
