from django.db import migrations

# DOMAIN.md §4: the method's own wording, verbatim. Help texts are the platform's.
QUESTION_SETS = {
    "intention": (
        "Valider l'approche collective dans le choix du projet",
        [
            (
                "Nature du projet et thèmes associés",
                "Décrivez le projet en quelques phrases et les thèmes de transition qu'il touche.",
                "",
            ),
            (
                "Enjeux sur le territoire : qu'est-ce qui se joue sur le territoire derrière ce projet au niveau "
                "politique, économique, social, en termes de coopération, de transition, etc. ?",
                "Nommez ce qui se joue pour les habitants, les élus, les services et les partenaires.",
                "",
            ),
            (
                "Le projet correspond-il à une recommandation émise lors du diagnostic ?",
                "Citez la ou les recommandations du diagnostic auxquelles il répond, ou expliquez pourquoi il "
                "n'en découle pas.",
                "",
            ),
            (
                "En quoi ce projet sert-il la transition du territoire ?",
                "Reliez le projet à la trajectoire de transition du territoire.",
                "",
            ),
        ],
    ),
    "cadrage": (
        "Préciser les objectifs du projet",
        [
            (
                "Quelles sont les parties prenantes directes et indirectes ?",
                "Listez-les avec leur organisation et leur famille parmi les 4 Fantastiques.",
                "stakeholders",
            ),
            (
                "Quels sont les principaux objectifs poursuivis (quantitatifs et qualitatifs) ?",
                "Un objectif quantitatif a un indicateur, une valeur de départ, une cible et une échéance.",
                "objectives",
            ),
            (
                "Quelles sont les conditions qui permettront ou faciliteront l'atteinte des objectifs ? "
                "(facteurs clefs de succès du projet)",
                "Conditions humaines, organisationnelles, politiques, financières…",
                "",
            ),
            (
                "Sur quels critères la réussite du projet sera-t-elle appréciée ?",
                "Rattachez chaque critère aux objectifs qu'il permet d'apprécier.",
                "success_criteria",
            ),
            (
                "Quels sont les atouts et les freins/blocages/difficultés à anticiper déjà identifiés à ce stade ?",
                "Distinguez ce qui aide le projet de ce qui risque de le freiner.",
                "",
            ),
        ],
    ),
    "faisabilite": (
        "Définir la stratégie de mise en œuvre du projet",
        [
            (
                "Quels sont les moyens humains, techniques et financiers à mobiliser en interne ?",
                "Les moyens humains en ETP, les moyens financiers en euros.",
                "internal_means",
            ),
            (
                "Quels sont les moyens humains, techniques et financiers à solliciter en externe ?",
                "Précisez pour chacun le financeur ou le partenaire sollicité.",
                "external_means",
            ),
            (
                "Quelles sont les principales étapes et livrables du projet ?",
                "Chaque étape a une date de début, une date de fin et ce qu'elle produit.",
                "steps",
            ),
            (
                "Quels sont les rôles et responsabilités des parties prenantes mobilisées pour la réalisation du "
                "projet ?",
                "Pour chaque étape : qui est responsable, qui contribue, qui est informé.",
                "roles",
            ),
        ],
    ),
}


def seed(apps, schema_editor):
    QuestionSet = apps.get_model("projects", "QuestionSet")
    Question = apps.get_model("projects", "Question")
    for kind, (purpose, questions) in QUESTION_SETS.items():
        question_set, created = QuestionSet.objects.get_or_create(
            kind=kind, version=1, defaults={"purpose": purpose, "is_current": True}
        )
        if not created:
            continue
        for number, (text, help_text, structured_part) in enumerate(questions, start=1):
            Question.objects.create(
                question_set=question_set,
                number=number,
                text=text,
                help_text=help_text,
                structured_part=structured_part,
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
