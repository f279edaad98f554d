"""Dashboard pages of the radar (LLO-Radar part 2)."""

urlpatterns: list = []
