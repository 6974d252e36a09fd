"""`manage.py procedure_deadlines FILE|-`: the deadline engine for scripts and outside checks.

Contract (docs/procedure_deadlines.md): JSON in, JSON out; a French error naming the faulty event on
standard error and exit status 2 on invalid input.
"""

import json
import sys
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand

from litigation.deadline_json import InputError, compute_from_json


class Command(BaseCommand):
    help = "Calcule les échéances légales d'une procédure d'expulsion décrite en JSON (FILE ou - )."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="fichier JSON, ou - pour l'entrée standard")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            if path == "-":
                raw = sys.stdin.read()
            else:
                with open(path, encoding="utf-8-sig") as handle:
                    raw = handle.read()
        except OSError as exc:
            self._fail(f"Impossible de lire le fichier « {path} » : {exc.strerror}.")
        try:
            output = compute_from_json(raw, truce_start=settings.ZEL_TRUCE_START,
                                       truce_end=settings.ZEL_TRUCE_END)
        except InputError as exc:
            self._fail(str(exc))
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(f"Erreur : {message}\n")
        sys.exit(2)
