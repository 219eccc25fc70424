"""Template tags for results pages: charts and tables from the results dictionary alone."""

from django import template

from consultations.analysis.charts import public_charts as build_public_charts

register = template.Library()


@register.simple_tag
def public_charts(results):
    """`{% public_charts results as charts %}`: consultations.analysis.charts.public_charts."""
    return build_public_charts(results)
