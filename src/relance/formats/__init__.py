"""Date and time formats per language (settings.FORMAT_MODULE_PATH), read by Django's `date`
filter, `django.utils.formats` and the XLSX exports: one short and one long form per language,
so that a date reads the same on every page, badge, alert and export of that language."""
