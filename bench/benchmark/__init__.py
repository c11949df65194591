"""Tasks and gold: loading, validation, packing, export, suites, authoring."""
