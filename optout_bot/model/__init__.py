"""Plain data: flow and site specs, the catalog, platforms, outcomes. No browser, no disk writes."""
