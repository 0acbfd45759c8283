from sejahtera.web.views.editing import family_create, family_edit, person_add, person_edit, survey_add
from sejahtera.web.views.families import desa_options, family_detail, family_list, identity_search

__all__ = ["desa_options", "family_create", "family_detail", "family_edit", "family_list", "identity_search",
           "person_add", "person_edit", "survey_add"]
