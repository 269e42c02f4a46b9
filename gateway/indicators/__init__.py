"""The province's service-quality figures (Quyết định 766/QĐ-TTg), from what the gateway holds."""
