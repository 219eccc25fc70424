from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def health(request):
    """For the load balancer: this app server is up and can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
