"""Loading service lines from a spreadsheet (being written)."""

urlpatterns = []
