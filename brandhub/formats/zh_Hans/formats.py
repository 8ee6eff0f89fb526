"""Chinese number formats as the platforms' back offices write them (生意参谋, 千牛: 12,940,398), not Django's default
for zh-hans (no separator, so 12940398 beside the charts' 12,940,398). The rest is Django's (FORMAT_MODULE_PATH
overrides only what is named here)."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
