from .views import InfrastructureProjectViewSet, ParkViewSet, PlotViewSet

ROUTES = [
    ("parks", ParkViewSet, "park"),
    ("plots", PlotViewSet, "plot"),
    ("infrastructure-projects", InfrastructureProjectViewSet, "infrastructure-project"),
]
urlpatterns = []
