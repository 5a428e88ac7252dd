from django.shortcuts import render


def no_scope(request):
    return render(request, "reports/no_scope.html", status=403)
