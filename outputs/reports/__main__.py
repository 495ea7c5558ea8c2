"""python -m outputs.reports > docs/schema/summary.schema.json: the batch
summary's JSON Schema (tests/test_reports_formats.py checks it is current)."""

from outputs.reports.summary import summary_schema_json

if __name__ == "__main__":
    print(summary_schema_json(), end="")
