"""The registry: list sources and versions, programs, entities and the facts about them."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from watchlist.models.base import Base, enum_column, utcnow


class EntityKind(enum.StrEnum):
    """What a listed entity is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class NameKind(enum.StrEnum):
    """How a name belongs to an entity; weak aliases match only exactly."""

    PRIMARY = "primary"
    AKA = "aka"
    FKA = "fka"
    NKA = "nka"
    WEAK_AKA = "weak_aka"


class NationalityKind(enum.StrEnum):
    """Nationality and citizenship are listed separately by OFAC."""

    NATIONALITY = "nationality"
    CITIZENSHIP = "citizenship"


class VersionStatus(enum.StrEnum):
    """Outcome of one import of a list."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"  # implausible removals: recorded, never applied (see plausibility)


class ChangeKind(enum.StrEnum):
    """What one import did to one entity."""

    ADDED = "added"
    CHANGED = "changed"
    DELISTED = "delisted"
    RELISTED = "relisted"


class LinkStatus(enum.StrEnum):
    """How two listings came to be known as one party."""

    AUTOMATIC = "automatic"  # the linker found strong evidence (see watchlist.registry.parties)
    PROPOSED = "proposed"  # the linker found evidence with a doubt: an admin decides
    CONFIRMED = "confirmed"  # an admin linked them, or confirmed the linker's link
    REJECTED = "rejected"  # an admin undid the link: the linker never makes it again


class ListSource(Base):
    """A publisher's list, such as the OFAC SDN list or the UN consolidated list."""

    __tablename__ = "list_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    publisher: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    format: Mapped[str | None] = mapped_column(sa.String(32))
    # The short name a listing of this source is shown by beside others ("OFAC SDN", "UK").
    label: Mapped[str | None] = mapped_column(sa.String(64))

    versions: Mapped[list[ListVersion]] = relationship(back_populates="source")


class ListVersion(Base):
    """One import of a source: where it came from, its checksum and what it changed."""

    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("list_sources.id"), index=True)
    status: Mapped[VersionStatus] = mapped_column(enum_column(VersionStatus, "version_status"))
    location: Mapped[str | None] = mapped_column(sa.String(1000))
    published_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    fetched_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    imported_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    checksum: Mapped[str | None] = mapped_column(sa.String(80))
    etag: Mapped[str | None] = mapped_column(sa.String(200))
    last_modified: Mapped[str | None] = mapped_column(sa.String(100))
    entity_count: Mapped[int] = mapped_column(default=0)
    name_count: Mapped[int] = mapped_column(default=0)
    added_count: Mapped[int] = mapped_column(default=0)
    changed_count: Mapped[int] = mapped_column(default=0)
    delisted_count: Mapped[int] = mapped_column(default=0)
    relisted_count: Mapped[int] = mapped_column(default=0)
    # Why a refused version was refused, in one sentence.
    refusal: Mapped[str | None] = mapped_column(sa.Text)

    source: Mapped[ListSource] = relationship(back_populates="versions")


class ListChange(Base):
    """The change log: one row per entity an import added, changed, delisted or relisted."""

    __tablename__ = "list_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("list_versions.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int] = mapped_column(sa.ForeignKey("entities.id"), index=True)
    change: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, "change_kind"))
    fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The readable values of each changed field before and after the import, as
    # {field: {"before": [...], "after": [...]}} (see watchlist/lists/diff.py); NULL on rows
    # written before the change log kept them, and on additions and delistings.
    diff: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))

    entity: Mapped[Entity] = relationship()


class Program(Base):
    """A sanctions program: OFAC's `DPRK3`, the UN 1718 regime, the EU Russia regime, ..."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(500))
    authority: Mapped[str] = mapped_column(sa.String(100))
    # NULL means the legal basis is unknown (a tag seen in a list but not described in the seed).
    legal_basis: Mapped[str | None] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.String(500))


class Entity(Base):
    """A listed person, organization, vessel or aircraft, as one source lists it."""

    __tablename__ = "entities"
    __table_args__ = (sa.UniqueConstraint("source_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("list_sources.id"))
    source_key: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[EntityKind] = mapped_column(enum_column(EntityKind, "entity_kind"))
    primary_name: Mapped[str] = mapped_column(sa.String(500), index=True)
    title: Mapped[str | None] = mapped_column(sa.Text)
    gender: Mapped[str | None] = mapped_column(sa.String(16))
    listing_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    delisted_on: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    remarks: Mapped[str | None] = mapped_column(sa.Text)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    field_hashes: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    first_seen_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("list_versions.id"))
    last_changed_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("list_versions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    source: Mapped[ListSource] = relationship()
    names: Mapped[list[EntityName]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityName.id"
    )
    designations: Mapped[list[Designation]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="Designation.id"
    )
    identifiers: Mapped[list[Identifier]] = relationship(
        cascade="all, delete-orphan", order_by="Identifier.id"
    )
    addresses: Mapped[list[Address]] = relationship(
        cascade="all, delete-orphan", order_by="Address.id"
    )
    birth_dates: Mapped[list[BirthDate]] = relationship(
        cascade="all, delete-orphan", order_by="BirthDate.id"
    )
    birth_places: Mapped[list[BirthPlace]] = relationship(
        cascade="all, delete-orphan", order_by="BirthPlace.id"
    )
    nationalities: Mapped[list[Nationality]] = relationship(
        cascade="all, delete-orphan", order_by="Nationality.id"
    )
    facts: Mapped[list[EntityFact]] = relationship(
        cascade="all, delete-orphan", order_by="EntityFact.id"
    )
    relations: Mapped[list[EntityRelation]] = relationship(
        foreign_keys="EntityRelation.subject_id",
        cascade="all, delete-orphan",
        order_by="EntityRelation.id",
    )
    linked_from: Mapped[list[EntityRelation]] = relationship(
        foreign_keys="EntityRelation.object_id",
        order_by="EntityRelation.id",
        viewonly=True,
    )

    @property
    def is_active(self) -> bool:
        """Listed now: not delisted."""
        return self.delisted_on is None


class _EntityChild:
    """Columns shared by every fact table: the owning entity."""

    id: Mapped[int] = mapped_column(primary_key=True)


def _entity_fk() -> Mapped[int]:
    return mapped_column(sa.ForeignKey("entities.id", ondelete="CASCADE"), index=True)


class EntityName(_EntityChild, Base):
    """A name of an entity: its primary name or an alias."""

    __tablename__ = "entity_names"

    entity_id: Mapped[int] = _entity_fk()
    name: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[NameKind] = mapped_column(enum_column(NameKind, "name_kind"))
    # ISO 15924 script of the name as written (Latn, Cyrl, Arab, ...), when known.
    script: Mapped[str | None] = mapped_column(sa.String(8))
    lang: Mapped[str | None] = mapped_column(sa.String(8))
    source_key: Mapped[str | None] = mapped_column(sa.String(64))
    remarks: Mapped[str | None] = mapped_column(sa.Text)

    entity: Mapped[Entity] = relationship(back_populates="names")

    @property
    def is_weak(self) -> bool:
        """Weak aliases (OFAC "weak a.k.a.") are matched only exactly."""
        return self.kind is NameKind.WEAK_AKA


class Designation(_EntityChild, Base):
    """An entity listed under a program."""

    __tablename__ = "designations"
    __table_args__ = (sa.UniqueConstraint("entity_id", "program_id"),)

    entity_id: Mapped[int] = _entity_fk()
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("programs.id"), index=True)
    designated_on: Mapped[dt.date | None] = mapped_column(sa.Date)

    entity: Mapped[Entity] = relationship(back_populates="designations")
    program: Mapped[Program] = relationship()


def number_key(value: str) -> str:
    """An identifier as searched: spaces, dashes, dots, slashes and case ignored, so that
    `bd 384-3329` finds the passport listed as `BD3843329`."""
    return "".join(char for char in value if char.isalnum()).upper()


def _number_key_default(context: Any) -> str:
    return number_key(context.get_current_parameters().get("value") or "")


class Identifier(_EntityChild, Base):
    """A document or registry number: passport, national ID, IMO, SWIFT/BIC, tax ID, ..."""

    __tablename__ = "identifiers"

    entity_id: Mapped[int] = _entity_fk()
    kind: Mapped[str] = mapped_column(sa.String(100))
    value: Mapped[str] = mapped_column(sa.String(300), index=True)
    # The value as searched: letters and digits only, upper case (`number_key`).
    number_key: Mapped[str] = mapped_column(sa.String(300), index=True, default=_number_key_default)
    country: Mapped[str | None] = mapped_column(sa.String(200))
    issued_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    expires_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    remarks: Mapped[str | None] = mapped_column(sa.Text)


class Address(_EntityChild, Base):
    """A listed address."""

    __tablename__ = "addresses"

    entity_id: Mapped[int] = _entity_fk()
    source_key: Mapped[str | None] = mapped_column(sa.String(64))
    street: Mapped[str | None] = mapped_column(sa.Text)
    city: Mapped[str | None] = mapped_column(sa.String(300))
    region: Mapped[str | None] = mapped_column(sa.String(300))
    postal_code: Mapped[str | None] = mapped_column(sa.String(100))
    country: Mapped[str | None] = mapped_column(sa.String(200))
    remarks: Mapped[str | None] = mapped_column(sa.Text)


class BirthDate(_EntityChild, Base):
    """A date of birth as listed: full, year-month, year only, a range or circa."""

    __tablename__ = "birth_dates"

    entity_id: Mapped[int] = _entity_fk()
    text: Mapped[str] = mapped_column(sa.String(200))
    year: Mapped[int | None]
    month: Mapped[int | None]
    day: Mapped[int | None]
    year_to: Mapped[int | None]
    circa: Mapped[bool] = mapped_column(default=False)


class BirthPlace(_EntityChild, Base):
    """A place of birth as listed."""

    __tablename__ = "birth_places"

    entity_id: Mapped[int] = _entity_fk()
    place: Mapped[str] = mapped_column(sa.Text)
    country: Mapped[str | None] = mapped_column(sa.String(200))


class Nationality(_EntityChild, Base):
    """A nationality or citizenship."""

    __tablename__ = "nationalities"

    entity_id: Mapped[int] = _entity_fk()
    country: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[NationalityKind] = mapped_column(enum_column(NationalityKind, "nationality_kind"))


class EntityFact(_EntityChild, Base):
    """Another structured fact: website, e-mail, vessel flag, secondary sanctions risk, ..."""

    __tablename__ = "entity_facts"

    entity_id: Mapped[int] = _entity_fk()
    kind: Mapped[str] = mapped_column(sa.String(100))
    value: Mapped[str] = mapped_column(sa.Text)


class EntityRelation(_EntityChild, Base):
    """A link between two listed entities ("Linked To:", owner, family member, ...)."""

    __tablename__ = "entity_relations"

    subject_id: Mapped[int] = mapped_column(
        sa.ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    # NULL while the named entity is not (yet) in the registry.
    object_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("entities.id", ondelete="SET NULL"), index=True
    )
    object_name: Mapped[str] = mapped_column(sa.String(500))
    # The named entity's key in the same source, when the list gives one.
    object_key: Mapped[str | None] = mapped_column(sa.String(64))
    relation: Mapped[str] = mapped_column(sa.String(64))

    subject: Mapped[Entity] = relationship(foreign_keys=[subject_id], viewonly=True)
    object: Mapped[Entity | None] = relationship(foreign_keys=[object_id])


class PartyLink(Base):
    """Two listings, on different lists, of one party (the same person listed by OFAC and the
    UK, say), with the evidence that says so. A party is a set of listings joined by links
    that are not rejected (`watchlist.registry.parties`)."""

    __tablename__ = "party_links"
    __table_args__ = (
        sa.UniqueConstraint("entity_id", "other_id"),
        sa.CheckConstraint("entity_id < other_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    other_id: Mapped[int] = mapped_column(
        sa.ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[LinkStatus] = mapped_column(enum_column(LinkStatus, "link_status"))
    # What the two listings share, one readable line each ("passport BD3843329", ...).
    evidence: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Who confirmed or rejected the link, when and why; NULL on the linker's own links.
    decided_by: Mapped[str | None] = mapped_column(sa.String(120))
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    entity: Mapped[Entity] = relationship(foreign_keys=[entity_id])
    other: Mapped[Entity] = relationship(foreign_keys=[other_id])
