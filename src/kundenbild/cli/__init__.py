"""The `kundenbild` command: demo, serve, manage, demo-data, imports, analyze, analyze-file,
evaluate-forecast, select-customers; one module per group of commands, which this one
registers (the modules never import it, so there is no circle).

Django is set up only by the commands that need it, so `demo-data` starts fast and
works without a database.
"""

from __future__ import annotations

import typer

from kundenbild.cli import analysis, demo, evaluation, imports, master_imports, selection, server

app = typer.Typer(
    help="Kundenbild: one living picture of each B2B customer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(demo.demo)
app.command()(server.serve)
app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(server.manage)
app.command("demo-data")(demo.demo_data)
app.command("analyze-file")(analysis.analyze_file_command)
app.command("evaluate-forecast")(evaluation.evaluate_forecast_command)
app.command("select-customers")(selection.select_customers_command)
app.command("analyze")(analysis.analyze_command)
app.command("import-sales")(imports.import_sales_command)
app.command("import-costs")(imports.import_costs_command)
app.command("import-customers")(master_imports.import_customers_command)
app.command("import-people")(master_imports.import_people_command)
app.command("import-offerings")(master_imports.import_offerings_command)
app.command("import-rollback")(imports.import_rollback_command)
app.command("sales-totals")(imports.sales_totals_command)


def main() -> None:
    app(prog_name="kundenbild")
