from . import urls_deliverables, urls_projects, urls_questions, urls_review

app_name = "projects"

urlpatterns = [
    *urls_projects.urlpatterns,
    *urls_deliverables.urlpatterns,
    *urls_review.urlpatterns,
    *urls_questions.urlpatterns,
]
