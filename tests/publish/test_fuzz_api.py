"""The API fuzzed by schemathesis against its own OpenAPI schema, in-process (ASGI):
no input may cause a server error, and every answer must match the documented schema
(including the one error shape). Writes are sent with the token, on a private copy of
the demo ledger, on SQLite and (marked `postgres`) on PostgreSQL.

Each operation gets its own Hypothesis run here (schemathesis' pytest fixture loader
does not work with pytest 9), so one test covers the whole schema."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

TOKEN = "fuzz-token"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


@pytest.fixture(scope="module")
def api_schema(module_ledger_db):
    from claimledger.publish import create_app

    # No rebuild after each recorded override: the fuzzer records many.
    app = create_app(module_ledger_db, token=TOKEN, rebuild=False)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_api_never_fails(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
