"""Rent-account CSV import: parse and validate every line (all errors at once, in French), then
upsert in bulk, atomically and idempotently. An unknown lease is reported, never created.

What accounting software really produces is accepted: `;`, `,` or tab separators; UTF-8 with or
without BOM, or Windows-1252; decimal commas; thousands separators (space, NBSP, narrow NBSP, dot);
a `€` sign; dd/mm/yyyy, yyyy-mm, yyyy-mm-dd or mm/yyyy months; blank lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from households.models import Lease
from zel.lib.text import normalize
from zel.pseudonym import lease_reference_digest

from .arrears import lease_arrears_sql
from .models import Procedure, RentAccountLine, RentImportMapping, Stage

FIELDS = ("lease_reference", "month", "amount_called", "housing_benefit", "amount_paid")
FIELD_LABELS = {
    "lease_reference": gettext_lazy("référence du bail"),
    "month": gettext_lazy("mois"),
    "amount_called": gettext_lazy("quittancé"),
    "housing_benefit": gettext_lazy("APL"),
    "amount_paid": gettext_lazy("encaissé"),
}
# Headers recognised without configuration (compared after normalisation: no case, accents, punctuation).
DEFAULT_HEADERS = {
    "lease_reference": ["référence bail", "référence du bail", "ref bail", "bail", "lease_ref", "lease reference",
                        "lease", "reference"],
    "month": ["période", "mois", "month", "period", "date", "échéance"],
    "amount_called": ["quittancé (loyer+charges)", "quittancé", "quittance", "montant quittancé", "loyer et charges",
                      "loyer + charges", "amount_called", "called", "rent and charges"],
    "housing_benefit": ["apl versée au bailleur", "apl", "apl versée", "aide au logement", "housing_benefit",
                        "housing benefit", "al"],
    "amount_paid": ["encaissé", "encaissement", "réglé", "payé", "paiement", "amount_paid", "paid"],
}
SPACES = {" ", "\u00a0", "\u202f", "\u2009", "\t"}
MAX_ERRORS = 500  # beyond, the report says how many more


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("ligne %(n)s") % {"n": self.line} if self.line else _("fichier")
        col = _(", colonne « %(column)s »") % {"column": self.column} if self.column else ""
        return f"{where}{col} : {self.message}"


@dataclass
class ImportReport:
    errors: list[LineError] = field(default_factory=list)
    warnings: list[LineError] = field(default_factory=list)  # imported, but worth a look (reversals)
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    leases: int = 0
    error_total: int = 0
    anonymised_skipped: int = 0  # lines of leases anonymised by retention, skipped

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ParsedLine:
    line: int
    reference: str
    month: date
    called: Decimal
    benefit: Decimal
    paid: Decimal


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalize(text))


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def detect_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ";"


THOUSANDS_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_amount(value: str) -> Decimal:
    """'1 045,20 €', '1.045,20', '1045.20', '-12,5', '(12,50)', '12,50-' -> Decimal; ValueError in French.

    A lone comma is always the decimal separator (French accounting), so '500,123' has three decimals
    and is refused, never read as 500 123. Dots between groups of three digits are thousands
    ('1.045', '1.045,20', '1.234.567'); any other dot is a decimal point ('1045.20'); '1,045.20' is the
    English form. More than two decimals is always an error: nobody pays a tenth of a cent."""
    shown = value.strip()
    text = "".join(ch for ch in shown if ch not in SPACES)
    text = text.replace("€", "").replace("EUR", "").replace("eur", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = True, text[1:]
    if text.endswith("-"):
        negative, text = True, text[:-1]
    if not text:
        raise ValueError(_("montant vide"))
    if not re.fullmatch(r"[0-9.,]+", text):
        raise ValueError(_("montant illisible « %(value)s »") % {"value": shown})
    unreadable = ValueError(_("montant illisible « %(value)s »") % {"value": shown})
    if "," in text and "." in text and text.rfind(".") > text.rfind(","):
        # '1,045.20': English thousands commas before a decimal point.
        integer, _dot, decimals = text.rpartition(".")
        if not re.fullmatch(r"\d{1,3}(,\d{3})+", integer):
            raise unreadable
        integer = integer.replace(",", "")
    else:
        if text.count(",") > 1:
            raise unreadable
        integer, _comma, decimals = text.partition(",")
        if "." in integer:
            if _comma or THOUSANDS_GROUPS.match(integer):
                # '1.045,20', '1.045', '1.234.567': dots between groups of three are thousands.
                if not THOUSANDS_GROUPS.match(integer):
                    raise unreadable
                integer = integer.replace(".", "")
            elif integer.count(".") > 1:
                raise unreadable
            else:
                integer, _dot, decimals = integer.partition(".")  # '1045.20', '12.5': a decimal point
    if "." in decimals or "," in decimals:
        raise unreadable
    if len(decimals) > 2:
        raise ValueError(_("plus de deux décimales dans « %(value)s » (centimes attendus, par exemple 500,12)")
                         % {"value": shown})
    try:
        amount = Decimal(f"{integer or '0'}.{decimals or '0'}")
    except InvalidOperation:
        raise ValueError(_("montant illisible « %(value)s »") % {"value": shown}) from None
    if amount >= Decimal("10000000000"):
        raise ValueError(_("montant trop élevé « %(value)s »") % {"value": shown})
    amount = amount.quantize(Decimal("0.01"))
    return -amount if negative else amount


MONTH_PATTERNS = [
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), lambda m: (int(m[3]), int(m[2]), int(m[1]))),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"^(\d{4})[-/](\d{1,2})$"), lambda m: (int(m[1]), int(m[2]), 1)),
    (re.compile(r"^(\d{1,2})[/.-](\d{4})$"), lambda m: (int(m[2]), int(m[1]), 1)),
]


def parse_month(value: str) -> date:
    text = value.strip()
    for pattern, parts in MONTH_PATTERNS:
        if match := pattern.match(text):
            year, month, day = parts(match)
            try:
                date(year, month, day)
            except ValueError:
                raise ValueError(_("date impossible « %(value)s »") % {"value": text}) from None
            if not 1990 <= year <= 2100:
                raise ValueError(_("année improbable « %(value)s »") % {"value": text})
            return date(year, month, 1)
    raise ValueError(_("date illisible « %(value)s » (attendu jj/mm/aaaa ou aaaa-mm)") % {"value": text})


def headers_for(landlord: Organisation) -> dict[str, list[str]]:
    mapping = RentImportMapping.objects.filter(landlord=landlord).first()
    result = {}
    for name in FIELDS:
        configured = getattr(mapping, name, "") if mapping else ""
        aliases = [a for a in configured.split("|") if a.strip()] if configured else []
        result[name] = aliases + DEFAULT_HEADERS[name]
    return result


def parse(text: str, headers: dict[str, list[str]],
          warnings: list[LineError] | None = None) -> tuple[list[ParsedLine], list[LineError]]:
    """Every line checked; errors stop the import, `warnings` (negative payments: reversals) do not."""
    warnings = [] if warnings is None else warnings
    first_line = text.replace("\r\n", "\n").replace("\r", "\n").split("\n", 1)[0]
    try:
        # newline="": the csv module then reads \r\n, \n and old Mac \r line ends alike.
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line)))
    except csv.Error as exc:
        return [], [LineError(0, "", _("fichier CSV illisible (%(error)s).") % {"error": exc})]
    errors: list[LineError] = []
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return [], [LineError(0, "", _("le fichier est vide."))]
    header = rows[0]
    keys = [_key(h) for h in header]
    positions: dict[str, int] = {}
    for name in FIELDS:
        for alias in headers[name]:
            if _key(alias) in keys:
                positions[name] = keys.index(_key(alias))
                break
    if any(name not in positions for name in FIELDS):
        found = ", ".join(f"« {h.strip()} »" for h in header)
        return [], [LineError(1, str(FIELD_LABELS[name]),
                              _("colonne introuvable (en-têtes lus : %(found)s). Vérifiez la correspondance des "
                                "colonnes de ce bailleur.") % {"found": found})
                    for name in FIELDS if name not in positions]
    titles = {name: header[pos].strip() for name, pos in positions.items()}
    parsed: list[ParsedLine] = []
    seen: dict[tuple[str, date], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            errors.append(LineError(number, "", _("%(n)s colonnes au lieu de %(expected)s.")
                                    % {"n": len(row), "expected": len(header)}))
            continue
        values: dict[str, object] = {}
        reference = row[positions["lease_reference"]].strip().upper()
        if not reference:
            errors.append(LineError(number, titles["lease_reference"], _("référence du bail vide.")))
        values["reference"] = reference
        try:
            values["month"] = parse_month(row[positions["month"]])
        except ValueError as exc:
            errors.append(LineError(number, titles["month"], f"{exc}."))
        for name in ("amount_called", "housing_benefit", "amount_paid"):
            raw = row[positions[name]]
            if name == "housing_benefit" and not raw.strip():
                values[name] = Decimal(0)  # no benefit is often left blank
                continue
            try:
                amount = parse_amount(raw)
            except ValueError as exc:
                errors.append(LineError(number, titles[name], f"{exc}."))
                continue
            if amount < 0 and name != "amount_paid":
                # A negative rent called or benefit is not a reversal the account can net: refused.
                errors.append(LineError(number, titles[name], _("montant négatif « %(value)s » : le %(what)s ne "
                                                                "peut pas être négatif.")
                                        % {"value": raw.strip(), "what": FIELD_LABELS[name]}))
                continue
            if amount < 0:
                warnings.append(LineError(number, titles[name], _("encaissement négatif « %(value)s » importé "
                                                                  "comme une annulation de paiement (rejet, "
                                                                  "chèque impayé) : vérifiez-le.")
                                          % {"value": raw.strip()}))
            values[name] = amount
        if len(values) < 5 or not reference:
            continue
        key = (reference, values["month"])
        if key in seen:
            errors.append(LineError(number, titles["month"],
                                    _("même bail et même mois qu'à la ligne %(line)s.") % {"line": seen[key]}))
            continue
        seen[key] = number
        parsed.append(ParsedLine(number, reference, values["month"], values["amount_called"],
                                 values["housing_benefit"], values["amount_paid"]))
    if not parsed and not errors:
        errors.append(LineError(0, "", _("le fichier ne contient aucune ligne de données (seulement l'en-tête) : "
                                         "rien n'a été importé.")))
    return parsed, errors


def import_rent_accounts(*, landlord: Organisation, raw: bytes) -> ImportReport:
    """Validates the whole file; writes only if every line is valid (atomic), and only what changed."""
    report = ImportReport()
    parsed, errors = parse(decode(raw), headers_for(landlord), report.warnings)
    report.lines = len(parsed) + len({e.line for e in errors if e.line > 1})
    leases = {ref.upper(): pk for pk, ref in Lease.objects.filter(
        landlord=landlord, reference__in={p.reference for p in parsed}).values_list("pk", "reference")}
    title = str(FIELD_LABELS["lease_reference"])
    anonymised = _anonymised_references(landlord, {p.reference for p in parsed if p.reference not in leases})
    if anonymised:
        report.anonymised_skipped = sum(p.reference in anonymised for p in parsed)
        parsed = [p for p in parsed if p.reference not in anonymised]
    for line in parsed:
        if line.reference not in leases:
            errors.append(LineError(line.line, title, _("bail « %(ref)s » inconnu chez %(landlord)s (il n'est pas "
                                                        "créé).") % {"ref": line.reference,
                                                                     "landlord": landlord.name}))
    if errors:
        report.warnings = []  # nothing imported: nothing to warn about
        errors.sort(key=lambda e: (e.line, e.column))
        report.error_total = len(errors)
        report.errors = errors[:MAX_ERRORS]
        return report
    _upsert(parsed, leases, report)
    return report


def _anonymised_references(landlord: Organisation, references: set[str]) -> set[str]:
    """The references of this file that belong to leases retention anonymised (renamed ANON-<id>):
    their lines are skipped and counted, not refused as unknown (issue 17). One query, on the keyed
    hashes kept at anonymisation (zel.pseudonym)."""
    if not references:
        return set()
    by_digest = {lease_reference_digest(landlord.pk, ref): ref for ref in references}
    found = Lease.objects.filter(landlord=landlord, reference_digest__in=by_digest).values_list(
        "reference_digest", flat=True)
    return {by_digest[d] for d in found}


@transaction.atomic
def _upsert(parsed: list[ParsedLine], leases: dict[str, int], report: ImportReport) -> None:
    lease_ids = set(leases.values())
    months = {p.month for p in parsed}
    # Tuples, not model instances: 10 000 lines are compared in Python, only the changed ones written.
    existing = {(lease_id, month): amounts for lease_id, month, *amounts in RentAccountLine.objects
                .select_for_update(of=("self",)).filter(lease_id__in=lease_ids, month__in=months)
                .values_list("lease_id", "month", "amount_called", "housing_benefit", "amount_paid")}
    rows = []
    created = 0
    for p in parsed:
        lease_id = leases[p.reference]
        current = existing.get((lease_id, p.month))
        if current is not None and tuple(current) == (p.called, p.benefit, p.paid):
            report.unchanged += 1  # not written: its imported_at stays, as a re-import changes nothing
            continue
        created += current is None
        rows.append(RentAccountLine(lease_id=lease_id, month=p.month, amount_called=p.called,
                                    housing_benefit=p.benefit, amount_paid=p.paid))
    # One INSERT … ON CONFLICT (lease, month) DO UPDATE for new and changed lines alike: bulk_update's
    # CASE WHEN per row cost 16 s of Python for 10 000 lines. imported_at is not in update_fields: an
    # updated line keeps its first import's stamp, as before.
    RentAccountLine.objects.bulk_create(rows, batch_size=2000, update_conflicts=True,
                                        unique_fields=["lease", "month"],
                                        update_fields=["amount_called", "housing_benefit", "amount_paid"])
    report.created, report.updated, report.leases = created, len(rows) - created, len(lease_ids)
    if rows:
        refresh_procedure_debts(lease_ids)


def refresh_procedure_debts(lease_ids: Iterable[int]) -> None:
    """Open procedures of these leases take their lease's arrears (litigation.arrears): one UPDATE with
    a correlated SUM. It writes no history row and leaves the version alone (the debt follows the
    account; it is not an edit of the procedure). Leases without any rent line are left as they are."""
    ids = list(lease_ids)
    has_lines = RentAccountLine.objects.filter(lease_id=OuterRef("lease_id"))
    (Procedure.objects.filter(lease_id__in=ids).exclude(stage=Stage.CLOSED).filter(Exists(has_lines))
     .update(current_debt=lease_arrears_sql("lease_id")))
