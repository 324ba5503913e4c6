"""The URL kwargs of the access table's probes: for each URL name with parameters, a function that builds
them from a test world (tests/conftest.py `world`, tests/worlds/). Production code declares who may use each
URL (core/access.py); only the tests know which objects of their world to point it at."""

from django.urls import reverse

# alliance.urls


def alliance_public_organisation(world):
    return {"pk": world.public_organisation.pk}


def alliance_agent_membership(world):
    return {"pk": world.agent_membership.pk}


def alliance_candidate_membership(world):
    return {"pk": world.candidate_membership.pk}


# calendars.urls


def calendars_token(world):
    return {"token": world.calendar_subscription.token}


def calendars_event(world):
    return {"pk": world.public_event.pk}


# cooperation.urls


def cooperation_agents(world):
    return {"pk": world.agents_group.pk}


def cooperation_dgs(world):
    return {"pk": world.dgs_group.pk}


def cooperation_thread(world):
    return {"pk": world.agents_group.pk, "thread_pk": world.group_thread.pk}


def cooperation_attachment(world):
    return {"pk": world.agents_group.pk, "attachment_pk": world.post_attachment.pk}


def cooperation_meeting(world):
    return {"pk": world.agents_group.pk, "meeting_pk": world.group_meeting.pk}


def cooperation_contribution(world):
    return {"pk": world.agents_group.pk, "contribution_pk": world.group_contribution.pk}


def cooperation_join_request(world):
    return {"pk": world.dgs_group.pk, "request_pk": world.group_join_request.pk}


def cooperation_group_invitation(world):
    return {"pk": world.dgs_group.pk, "invitation_pk": world.group_invitation.pk}


def cooperation_crossing(world):
    return {"pk": world.crossing.pk}


def cooperation_proposal(world):
    return {"pk": world.joint_proposal.pk}


def cooperation_territory(world):
    return {"pk": world.territory.pk}


# documents.urls


def documents_deliverable(world):
    return {"pk": world.project.pk, "kind": world.cadrage.kind}


def documents_project(world):
    return {"pk": world.project.pk}


def documents_document(world):
    return {"pk": world.document.pk}


# library.urls


def library_resource(world):
    return {"pk": world.resource.pk}


def library_attachment(world):
    return {"pk": world.resource.pk, "attachment_pk": world.attachment.pk}


def library_draft(world):
    return {"pk": world.draft_resource.pk}


def library_draft_attachment(world):
    return {"pk": world.draft_resource.pk, "attachment_pk": world.draft_attachment.pk}


def library_in_review(world):
    return {"pk": world.review_resource.pk}


# methods.urls_actantial


def methods_actantial_project(world):
    return {"pk": world.project.pk}


def methods_actantial_schema(world):
    return {"pk": world.project.pk, "schema_pk": world.schema.pk}


def methods_actantial_entry(world):
    return {**methods_actantial_schema(world), "entry_pk": world.actant_entry.pk}


# methods.urls_actors


def methods_actors_project(world):
    return {"pk": world.project.pk}


def methods_actors_actor(world):
    return {"pk": world.project.pk, "actor_pk": world.actor_c.pk}


def methods_actors_influence(world):
    return {"pk": world.project.pk, "influence_pk": world.influence.pk}


def methods_actors_action(world):
    return {"pk": world.project.pk, "action_pk": world.action_b.pk}


# methods.urls_evaluation


def methods_evaluation_project(world):
    return {"pk": world.project.pk}


def methods_evaluation_territory(world):
    return {"territory_pk": world.territory.pk}


def methods_evaluation_session(world):
    return {"session_pk": world.evaluation.pk}


def methods_evaluation_territory_session(world):
    return {"session_pk": world.territory_evaluation.pk}


# methods.urls_journal


def methods_journal_project(world):
    return {"pk": world.project.pk}


def methods_journal_territory(world):
    return {"territory_pk": world.territory.pk}


def methods_journal_entry(world):
    return {"entry_pk": world.journal_entry.pk}


# notifications.urls


def notifications_notification(world):
    return {"pk": world.notification.pk}


# pages.urls


def pages_csv(world):
    return {"fmt": "csv"}


def pages_content_block(world):
    return {"key": "alliance"}


# projects.urls_deliverables


def projects_deliverables_deliverable(world):
    return {"pk": world.project.pk, "kind": world.cadrage.kind}


def projects_deliverables_question(world):
    return {**projects_deliverables_deliverable(world), "number": 1}


def projects_deliverables_draft(world):
    return {"pk": world.draft_project.pk, "kind": world.draft.kind}


def projects_deliverables_draft_question(world):
    return {**projects_deliverables_draft(world), "number": 1}


def projects_deliverables_draft_revision(world):
    return {**projects_deliverables_draft_question(world), "revision_pk": world.draft_answer_revision.pk}


def projects_deliverables_draft_part(world):
    return {**projects_deliverables_draft(world), "part": "etapes"}


def projects_deliverables_draft_item(world):
    return {**projects_deliverables_draft_part(world), "item_pk": world.step.pk}


# projects.urls_projects


def projects_projects_territory(world):
    return {"territory_pk": world.territory.pk}


def projects_projects_project(world):
    return {"pk": world.project.pk}


# projects.urls_questions


def projects_questions_question_set(world):
    return {"pk": world.question_set_draft.pk}


def projects_questions_kind(world):
    return {"kind": "intention"}


# projects.urls_review


def projects_review_submitted(world):
    return {"pk": world.project.pk, "kind": world.cadrage.kind}


def projects_review_validated(world):
    return {"pk": world.project.pk, "kind": world.intention.kind}


def projects_review_comment(world):
    return {**projects_review_submitted(world), "comment_pk": world.comment.pk}


def projects_review_version(world):
    return {**projects_review_submitted(world), "number": 1}


def projects_review_project(world):
    return {"pk": world.project.pk}


# reports.urls


def reports_territory(world):
    return {"pk": world.territory.pk}


def reports_synthesis(world):
    return {"pk": world.synthesis.pk}


# territories.urls


def territories_territory(world):
    return {"pk": world.territory.pk}


def territories_member(world):
    return {"pk": world.territory.pk, "member_pk": world.dgs_member.pk}


def territories_invitation(world):
    return {"pk": world.territory.pk, "invitation_pk": world.invitation.pk}


def territories_milestone(world):
    return {"pk": world.territory.pk, "milestone_pk": world.milestone.pk}


def territories_recommendation(world):
    return {"pk": world.territory.pk, "recommendation_pk": world.recommendation.pk}


def territories_assessment(world):
    return {"pk": world.territory.pk, "assessment_pk": world.assessment.pk}


def territories_invitation_token(world):
    return {"token": world.invitation.token}


# trainings.urls


def trainings_territory(world):
    return {"pk": world.territory.pk}


def trainings_cycle(world):
    return {"pk": world.training_cycle.pk}


def trainings_session(world):
    return {"pk": world.training_cycle.pk, "session_pk": world.training_session.pk}


def trainings_participant(world):
    return {"pk": world.training_cycle.pk, "participant_pk": world.training_participant.pk}


def trainings_awareness(world):
    return {"pk": world.awareness_event.pk}


def trainings_effect(world):
    return {"pk": world.effect.pk}


KWARGS = {
    "alliance:membership": alliance_agent_membership,
    "alliance:membership_withdraw": alliance_agent_membership,
    "alliance:membership_decide": alliance_candidate_membership,
    "alliance:organisation": alliance_public_organisation,
    "alliance:organisation_add_person": alliance_public_organisation,
    "alliance:organisation_edit": alliance_public_organisation,
    "alliance:organisation_logo": alliance_public_organisation,
    "calendars:event_ics": calendars_event,
    "calendars:personal_feed": calendars_token,
    "cooperation:attachment": cooperation_attachment,
    "cooperation:contribution_agree": cooperation_contribution,
    "cooperation:contribution_edit": cooperation_contribution,
    "cooperation:contribution_create": cooperation_agents,
    "cooperation:crossing_create": cooperation_agents,
    "cooperation:follow": cooperation_agents,
    "cooperation:group_detail": cooperation_agents,
    "cooperation:group_edit": cooperation_agents,
    "cooperation:invite": cooperation_agents,
    "cooperation:leave": cooperation_agents,
    "cooperation:meeting_create": cooperation_agents,
    "cooperation:meetings": cooperation_agents,
    "cooperation:members": cooperation_agents,
    "cooperation:thread_create": cooperation_agents,
    "cooperation:work": cooperation_agents,
    "cooperation:crossing_detail": cooperation_crossing,
    "cooperation:crossing_share": cooperation_crossing,
    "cooperation:proposal_create": cooperation_crossing,
    "cooperation:invitation_answer": cooperation_group_invitation,
    "cooperation:join": cooperation_dgs,
    "cooperation:meeting_cancel": cooperation_meeting,
    "cooperation:meeting_edit": cooperation_meeting,
    "cooperation:meeting_ics": cooperation_meeting,
    "cooperation:proposal_address": cooperation_proposal,
    "cooperation:proposal_agree": cooperation_proposal,
    "cooperation:proposal_answer": cooperation_proposal,
    "cooperation:proposal_detail": cooperation_proposal,
    "cooperation:request_decide": cooperation_join_request,
    "cooperation:territory_dashboard": cooperation_territory,
    "cooperation:thread_detail": cooperation_thread,
    "documents:download": documents_document,
    "documents:status": documents_document,
    "documents:request_dossier": documents_project,
    "documents:request_note": documents_deliverable,
    "library:attachment": library_attachment,
    "library:attachment_add": library_draft,
    "library:edit": library_draft,
    "library:submit": library_draft,
    "library:attachment_remove": library_draft_attachment,
    "library:bookmark": library_resource,
    "library:detail": library_resource,
    "library:publish": library_in_review,
    "library:send_back": library_in_review,
    "methods:actantial": methods_actantial_project,
    "methods:actantial_schema_add": methods_actantial_project,
    "methods:actantial_entry_add": methods_actantial_schema,
    "methods:actantial_schema": methods_actantial_schema,
    "methods:actantial_schema_delete": methods_actantial_schema,
    "methods:actantial_schema_edit": methods_actantial_schema,
    "methods:actantial_svg": methods_actantial_schema,
    "methods:actantial_entry_delete": methods_actantial_entry,
    "methods:actantial_entry_edit": methods_actantial_entry,
    "methods:actantial_entry_move": methods_actantial_entry,
    "methods:actor_action_add": methods_actors_project,
    "methods:actor_add": methods_actors_project,
    "methods:actor_import": methods_actors_project,
    "methods:actor_influence_add": methods_actors_project,
    "methods:actor_map": methods_actors_project,
    "methods:actor_map_svg": methods_actors_project,
    "methods:actor_action_delete": methods_actors_action,
    "methods:actor_action_edit": methods_actors_action,
    "methods:actor_delete": methods_actors_actor,
    "methods:actor_edit": methods_actors_actor,
    "methods:actor_select": methods_actors_actor,
    "methods:actor_influence_delete": methods_actors_influence,
    "methods:actor_influence_edit": methods_actors_influence,
    "methods:evaluation_close": methods_evaluation_territory_session,
    "methods:evaluation_deliberate": methods_evaluation_territory_session,
    "methods:evaluation_reopen": methods_evaluation_territory_session,
    "methods:evaluation_detail": methods_evaluation_session,
    "methods:evaluation_radar_svg": methods_evaluation_session,
    "methods:evaluation_rate": methods_evaluation_session,
    "methods:evaluation_start_deliberation": methods_evaluation_session,
    "methods:evaluation_open_project": methods_evaluation_project,
    "methods:evaluations_project": methods_evaluation_project,
    "methods:evaluation_open_territory": methods_evaluation_territory,
    "methods:evaluations_territory": methods_evaluation_territory,
    "methods:journal_entry_create_project": methods_journal_project,
    "methods:journal_project": methods_journal_project,
    "methods:journal_entry_create_territory": methods_journal_territory,
    "methods:journal_territory": methods_journal_territory,
    "methods:journal_entry_delete": methods_journal_entry,
    "methods:journal_entry_edit": methods_journal_entry,
    "notifications:open": notifications_notification,
    "pages:allies_export": pages_csv,
    "pages:memberships_export": pages_csv,
    "pages:projects_export": pages_csv,
    "pages:resources_export": pages_csv,
    "pages:territories_export": pages_csv,
    "pages:content_edit": pages_content_block,
    "projects:answer_history": projects_deliverables_question,
    "projects:answer_restore": projects_deliverables_draft_revision,
    "projects:answer_save": projects_deliverables_draft_question,
    "projects:deliverable": projects_deliverables_deliverable,
    "projects:deliverable_migrate": projects_deliverables_draft,
    "projects:roles": projects_deliverables_draft,
    "projects:submit": projects_deliverables_draft,
    "projects:part_add": projects_deliverables_draft_part,
    "projects:part_delete": projects_deliverables_draft_item,
    "projects:part_edit": projects_deliverables_draft_item,
    "projects:abandon": projects_projects_project,
    "projects:detail": projects_projects_project,
    "projects:edit": projects_projects_project,
    "projects:facilitators": projects_projects_project,
    "projects:resume": projects_projects_project,
    "projects:create": projects_projects_territory,
    "projects:territory_list": projects_projects_territory,
    "projects:question_set_detail": projects_questions_question_set,
    "projects:question_set_edit": projects_questions_question_set,
    "projects:question_set_publish": projects_questions_question_set,
    "projects:question_set_new": projects_questions_kind,
    "projects:comment_add": projects_review_submitted,
    "projects:compare": projects_review_submitted,
    "projects:review": projects_review_submitted,
    "projects:versions": projects_review_submitted,
    "projects:comment_reopen": projects_review_comment,
    "projects:comment_thread": projects_review_comment,
    "projects:comment_resolve": projects_review_comment,
    "projects:private_note_add": projects_review_project,
    "projects:reopen": projects_review_validated,
    "projects:version": projects_review_version,
    "reports:synthesis": reports_territory,
    "reports:synthesis_request": reports_territory,
    "reports:synthesis_detail": reports_synthesis,
    "territories:assessment_detail": territories_assessment,
    "territories:assessment_new": territories_territory,
    "territories:assessments": territories_territory,
    "territories:dashboard": territories_territory,
    "territories:detail": territories_territory,
    "territories:diagnostic_edit": territories_territory,
    "territories:edit": territories_territory,
    "territories:invite": territories_territory,
    "territories:logo": territories_territory,
    "territories:milestone_add": territories_territory,
    "territories:pilot": territories_territory,
    "territories:recommendation_add": territories_territory,
    "territories:team": territories_territory,
    "territories:invitation": territories_invitation_token,
    "territories:invitation_revoke": territories_invitation,
    "territories:member_change": territories_member,
    "territories:member_remove": territories_member,
    "territories:milestone_delete": territories_milestone,
    "territories:milestone_edit": territories_milestone,
    "territories:recommendation_edit": territories_recommendation,
    "trainings:attendance": trainings_session,
    "trainings:session_ics": trainings_session,
    "trainings:session_remove": trainings_session,
    "trainings:awareness_create": trainings_territory,
    "trainings:cycle_create": trainings_territory,
    "trainings:effect_add": trainings_territory,
    "trainings:effects": trainings_territory,
    "trainings:index": trainings_territory,
    "trainings:awareness_delete": trainings_awareness,
    "trainings:awareness_edit": trainings_awareness,
    "trainings:cycle_delete": trainings_cycle,
    "trainings:cycle_detail": trainings_cycle,
    "trainings:cycle_edit": trainings_cycle,
    "trainings:participant_add": trainings_cycle,
    "trainings:participants_import": trainings_cycle,
    "trainings:session_add": trainings_cycle,
    "trainings:effect_delete": trainings_effect,
    "trainings:effect_edit": trainings_effect,
    "trainings:participant_remove": trainings_participant,
}


def url_for(name: str, world) -> str:
    """The URL of an access-table name, pointed at the objects of `world`."""
    builder = KWARGS.get(name)
    return reverse(name, kwargs=builder(world) if builder else None)
