"""The change log keeps the before and after values of each changed field.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL on the rows written before: they name their fields only.
    with op.batch_alter_table("list_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("diff", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("list_changes", schema=None) as batch_op:
        batch_op.drop_column("diff")
