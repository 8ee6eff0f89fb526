from django.urls import path, re_path

from . import proposal_views, views

app_name = "brands"

urlpatterns = [
    path("", views.BrandListView.as_view(), name="brand_list"),
    path("new/", views.BrandCreateView.as_view(), name="brand_create"),
    # Only the known formats: the format is part of the file name, so nothing else may reach the view.
    re_path(r"^export\.(?P<fmt>csv|xlsx)\Z", views.BrandExportView.as_view(), name="brand_export"),
    path("import/", views.BrandImportView.as_view(), name="brand_import"),
    path("import/<uuid:pk>/", views.BrandImportPreviewView.as_view(), name="brand_import_preview"),
    path("completeness/", views.CompletenessRuleListView.as_view(), name="completenessrule_list"),
    path("completeness/add/", views.CompletenessRuleCreateView.as_view(), name="completenessrule_create"),
    path("completeness/<int:pk>/delete/", views.CompletenessRuleDeleteView.as_view(), name="completenessrule_delete"),
    path("proposals/", proposal_views.BrandChangeProposalListView.as_view(), name="brandchangeproposal_list"),
    path("<slug:slug>/", views.BrandDetailView.as_view(), name="brand_detail"),
    path("<slug:slug>/edit/", views.BrandUpdateView.as_view(), name="brand_update"),
    path("<slug:slug>/archive/", views.BrandArchiveView.as_view(), name="brand_archive"),
    path(
        "<slug:slug>/history/<int:number>/restore/",
        views.BrandRevisionRestoreView.as_view(),
        name="brandrevision_restore",
    ),
    path("<slug:slug>/members/", views.BrandMemberAddView.as_view(), name="brandmembership_add"),
    path("<slug:slug>/members/<int:pk>/remove/", views.BrandMemberRemoveView.as_view(), name="brandmembership_remove"),
    # Proposed changes: the review page, staff's decisions, the proposer's withdraw, the private images.
    path(
        "<slug:slug>/proposals/<int:pk>/",
        proposal_views.BrandChangeProposalDetailView.as_view(),
        name="brandchangeproposal_detail",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/accept/",
        proposal_views.BrandChangeProposalAcceptView.as_view(),
        name="brandchangeproposal_accept",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/reject/",
        proposal_views.BrandChangeProposalRejectView.as_view(),
        name="brandchangeproposal_reject",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/withdraw/",
        proposal_views.BrandChangeProposalWithdrawView.as_view(),
        name="brandchangeproposal_withdraw",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/images/<int:asset>/<slug:rendition>/",
        proposal_views.BrandChangeProposalImageView.as_view(),
        name="brandchangeproposal_image",
    ),
]
