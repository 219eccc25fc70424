"""Audit-log actions for spreadsheets: who exported or imported which responses, and when.

Entries record the format, the filters, whether personal data was included and how many rows;
never a resident's answers.
"""

EXPORT_RESPONSES = "consultations.export_responses"
IMPORT_RESPONSES = "consultations.import_responses"
