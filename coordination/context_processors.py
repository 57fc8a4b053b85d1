from coordination.lib.links import links_for
from parents.policies import is_family_viewer, is_guardian
from schools import policies
from schools.models import StaffRole


def navigation(request):
    """The menu shows one entry per role the person holds (a teacher may also be a parent)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    access = policies.access_for(user)
    guardian = is_guardian(user)
    return {
        "nav_is_guardian": guardian,
        # Read with the guardian's children, in the same query (parents.policies.guardian_child_ids).
        "nav_follows_children": not guardian and is_family_viewer(user),
        "nav_is_teacher": StaffRole.TEACHER in access.roles_by_school.values(),
        "nav_leads_school": bool(policies.leader_school_ids(user)),
        "nav_is_officer": bool(access.authority_ids),
        "nav_can_admin": policies.can_use_admin(user),
        # The features' own entries (coordination/lib/links.py, slot "menu").
        "nav_links": links_for("menu", user),
    }
