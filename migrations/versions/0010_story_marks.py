"""Story marks: the smallest values of each article's fingerprint, indexed, so a rewrite of a
report finds the articles it was rewritten from.

Articles stored before this revision get no marks: they keep their stories, and new articles
do not join them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_marks",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_story_marks_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "mark", name=op.f("pk_story_marks")),
    )
    with op.batch_alter_table("story_marks", schema=None) as batch_op:
        batch_op.create_index("ix_story_marks_mark_article_id", ["mark", "article_id"])


def downgrade() -> None:
    with op.batch_alter_table("story_marks", schema=None) as batch_op:
        batch_op.drop_index("ix_story_marks_mark_article_id")
    op.drop_table("story_marks")
