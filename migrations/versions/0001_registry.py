"""Registry: list sources and versions, programs, entities and their facts.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 13:34:12.284443
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "list_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("format", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_sources")),
        sa.UniqueConstraint("code", name=op.f("uq_list_sources_code")),
    )
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("authority", sa.String(length=100), nullable=False),
        sa.Column("legal_basis", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
        sa.UniqueConstraint("code", name=op.f("uq_programs_code")),
    )
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "changed",
                "unchanged",
                name="version_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("location", sa.String(length=1000), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checksum", sa.String(length=80), nullable=True),
        sa.Column("etag", sa.String(length=200), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("entity_count", sa.Integer(), nullable=False),
        sa.Column("name_count", sa.Integer(), nullable=False),
        sa.Column("added_count", sa.Integer(), nullable=False),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.Column("delisted_count", sa.Integer(), nullable=False),
        sa.Column("relisted_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["list_sources.id"], name=op.f("fk_list_versions_source_id_list_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_versions")),
    )
    with op.batch_alter_table("list_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_versions_source_id"), ["source_id"], unique=False)

    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "person",
                "organization",
                "vessel",
                "aircraft",
                name="entity_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("primary_name", sa.String(length=500), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("gender", sa.String(length=16), nullable=True),
        sa.Column("listing_date", sa.Date(), nullable=True),
        sa.Column("delisted_on", sa.Date(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("field_hashes", sa.JSON(), nullable=False),
        sa.Column("first_seen_version_id", sa.Integer(), nullable=True),
        sa.Column("last_changed_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_seen_version_id"],
            ["list_versions.id"],
            name=op.f("fk_entities_first_seen_version_id_list_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["last_changed_version_id"],
            ["list_versions.id"],
            name=op.f("fk_entities_last_changed_version_id_list_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["list_sources.id"], name=op.f("fk_entities_source_id_list_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint(
            "source_id", "source_key", name=op.f("uq_entities_source_id_source_key")
        ),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entities_delisted_on"), ["delisted_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_entities_primary_name"), ["primary_name"], unique=False
        )

    op.create_table(
        "addresses",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=True),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("city", sa.String(length=300), nullable=True),
        sa.Column("region", sa.String(length=300), nullable=True),
        sa.Column("postal_code", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=200), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_addresses_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
    )
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_addresses_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "birth_dates",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("year_to", sa.Integer(), nullable=True),
        sa.Column("circa", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_birth_dates_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_birth_dates")),
    )
    with op.batch_alter_table("birth_dates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_birth_dates_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "birth_places",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_birth_places_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_birth_places")),
    )
    with op.batch_alter_table("birth_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_birth_places_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "designations",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("designated_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_designations_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_designations_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_designations")),
        sa.UniqueConstraint(
            "entity_id", "program_id", name=op.f("uq_designations_entity_id_program_id")
        ),
    )
    with op.batch_alter_table("designations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_designations_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_designations_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "entity_facts",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_facts_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_facts")),
    )
    with op.batch_alter_table("entity_facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_facts_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "entity_names",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "primary",
                "aka",
                "fka",
                "nka",
                "weak_aka",
                name="name_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("script", sa.String(length=8), nullable=True),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("source_key", sa.String(length=64), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_names_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_names")),
    )
    with op.batch_alter_table("entity_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_names_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "entity_relations",
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("object_name", sa.String(length=500), nullable=False),
        sa.Column("object_key", sa.String(length=64), nullable=True),
        sa.Column("relation", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["entities.id"],
            name=op.f("fk_entity_relations_object_id_entities"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["entities.id"],
            name=op.f("fk_entity_relations_subject_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_relations")),
    )
    with op.batch_alter_table("entity_relations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_relations_object_id"), ["object_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entity_relations_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "identifiers",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=200), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_identifiers_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identifiers")),
    )
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identifiers_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_identifiers_value"), ["value"], unique=False)

    op.create_table(
        "list_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column(
            "change",
            sa.Enum(
                "added",
                "changed",
                "delisted",
                "relisted",
                name="change_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_list_changes_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["list_versions.id"],
            name=op.f("fk_list_changes_version_id_list_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_changes")),
    )
    with op.batch_alter_table("list_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_list_changes_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_list_changes_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "nationalities",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "nationality",
                "citizenship",
                name="nationality_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_nationalities_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nationalities")),
    )
    with op.batch_alter_table("nationalities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nationalities_entity_id"), ["entity_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nationalities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nationalities_entity_id"))

    op.drop_table("nationalities")
    with op.batch_alter_table("list_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_changes_version_id"))
        batch_op.drop_index(batch_op.f("ix_list_changes_entity_id"))

    op.drop_table("list_changes")
    with op.batch_alter_table("identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identifiers_value"))
        batch_op.drop_index(batch_op.f("ix_identifiers_entity_id"))

    op.drop_table("identifiers")
    with op.batch_alter_table("entity_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_relations_subject_id"))
        batch_op.drop_index(batch_op.f("ix_entity_relations_object_id"))

    op.drop_table("entity_relations")
    with op.batch_alter_table("entity_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_names_entity_id"))

    op.drop_table("entity_names")
    with op.batch_alter_table("entity_facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_facts_entity_id"))

    op.drop_table("entity_facts")
    with op.batch_alter_table("designations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_designations_program_id"))
        batch_op.drop_index(batch_op.f("ix_designations_entity_id"))

    op.drop_table("designations")
    with op.batch_alter_table("birth_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_birth_places_entity_id"))

    op.drop_table("birth_places")
    with op.batch_alter_table("birth_dates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_birth_dates_entity_id"))

    op.drop_table("birth_dates")
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addresses_entity_id"))

    op.drop_table("addresses")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entities_primary_name"))
        batch_op.drop_index(batch_op.f("ix_entities_delisted_on"))

    op.drop_table("entities")
    with op.batch_alter_table("list_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_list_versions_source_id"))

    op.drop_table("list_versions")
    op.drop_table("programs")
    op.drop_table("list_sources")
