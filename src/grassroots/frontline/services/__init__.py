"""Frontline services, one module per area: ``reporting`` (units and members report to communities),
``points`` (rules, ledger, service records) and ``campaigns`` (mobilisation shifts). Import from the modules."""
