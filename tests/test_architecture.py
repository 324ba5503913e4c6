"""The apps stand in layers and imports run one way, down (docs/architecture.md).

The test reads every module of every app (its syntax tree, nothing is imported or run), including imports
inside functions, and fails when a module imports from an app of a higher layer, or when apps of one layer
import one another in a circle. A lower app that must tell a higher one sends a signal after commit or
calls a registry the higher app fills in its AppConfig.ready().
"""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent

# From the ground up. An app may import the apps of the layers below its own and, without a cycle, the
# other apps of its own layer.
LAYERS = [
    ("ground", {"core", "reference", "outbox", "ops"}),
    ("people", {"accounts", "notifications"}),
    ("alliance", {"alliance"}),
    ("territories", {"territories"}),
    ("capabilities", {"projects", "cooperation", "trainings", "library"}),
    ("tools", {"methods", "documents", "pages"}),
    ("composition", {"dashboards", "calendars", "reports", "demo"}),
]
LAYER_OF = {app: rank for rank, (_name, members) in enumerate(LAYERS) for app in members}


def local_apps():
    """The project's own apps: those whose code lives in this repository."""
    return sorted(
        config.name for config in apps.get_app_configs() if Path(config.path).resolve().parent == ROOT
    )


def imported_apps(path: Path, names: set[str]):
    """(line, app) for every absolute import of one of `names` in the module at `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            if top in names:
                yield node.lineno, top


def import_graph():
    """{(module path, imported app): first line} over every module of every layered app."""
    graph = {}
    for app in LAYER_OF:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for line, target in imported_apps(path, set(LAYER_OF) - {app}):
                graph.setdefault((relative, target), line)
    return graph


def upward_imports():
    return {
        (module, target): line
        for (module, target), line in import_graph().items()
        if LAYER_OF[target] > LAYER_OF[module.split("/")[0]]
    }


def test_every_app_of_the_project_has_its_layer():
    assert [app for app in local_apps() if app not in LAYER_OF] == []


def test_no_module_imports_from_a_higher_layer():
    found = sorted(f"{module}:{line} imports {target}" for (module, target), line in upward_imports().items())
    assert found == [], (
        "a lower app imports a higher one: send a signal, fill a registry or a context provider"
    )


def test_apps_of_one_layer_do_not_import_each_other_in_a_circle():
    edges = {}
    for module, target in import_graph():
        source = module.split("/")[0]
        if LAYER_OF[source] == LAYER_OF[target]:
            edges.setdefault(source, set()).add(target)
    cycles = []

    def visit(app, path):
        for target in sorted(edges.get(app, ())):
            if target in path:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            else:
                visit(target, [*path, target])

    for app in sorted(edges):
        visit(app, [app])
    assert cycles == []


def test_the_walk_sees_imports_inside_functions(tmp_path):
    # The check must not be blind to the function-level imports that used to hide cycles.
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from projects.services import x\n    import documents.tasks\n")
    assert list(imported_apps(module, {"projects", "documents"})) == [(2, "projects"), (3, "documents")]


# Writes from a view: the methods that write to the database, and `update` on a queryset. `form.save(commit=
# False)` builds the object a service then saves, and is allowed.
WRITING_METHODS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
QUERYSET_WORDS = ("objects", "filter(", "exclude(", "all(")


def view_modules():
    for app in sorted(LAYER_OF):
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "views" in relative.stem or "views" in relative.parts[:-1]:
                yield path


def writes_in(path: Path):
    """(line, call) for every call in the module at `path` that writes to the database."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, ast.unparse(node.func.value)
        if method == "save" and any(
            keyword.arg == "commit"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is False
            for keyword in node.keywords
        ):
            continue
        if (
            method in WRITING_METHODS
            or (method == "update" and any(word in receiver for word in QUERYSET_WORDS))
            or (method == "atomic" and receiver == "transaction")
        ):
            yield node.lineno, ast.unparse(node)


def test_views_write_only_through_services():
    found = sorted(
        f"{path.relative_to(ROOT)}:{line} {call}" for path in view_modules() for line, call in writes_in(path)
    )
    assert found == [], "a view writes: call a service of the app's services.py (lock, check, save, audit)"


def test_the_write_check_sees_saves_updates_and_transactions(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def v(request, form):\n"
        "    form.save()\n"
        "    Thing.objects.filter(pk=1).update(seen=True)\n"
        "    with transaction.atomic():\n"
        "        item = form.save(commit=False)\n"
        "    context.update({'a': 1})\n"
    )
    assert [line for line, _call in writes_in(module)] == [2, 3, 4]


# Reads from a view: `Model.objects` belongs in the app's selectors.py (or access.py for the object a page is
# about); a view asks them. `get_object_or_404(Model, ...)` queries the model too: a view passes it a
# selector's queryset instead.
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def manager_reads_in(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr == "objects")
        or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in SHORTCUTS
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id[:1].isupper()
        )
    )


def views_reading():
    return {
        path.relative_to(ROOT).as_posix(): lines
        for path in view_modules()
        if (lines := manager_reads_in(path))
    }


def test_views_read_through_selectors():
    found = sorted(f"{module}:{lines}" for module, lines in views_reading().items())
    assert found == [], "a view queries a model: add a function to the app's selectors.py"


def test_the_read_check_sees_managers_in_views(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "def v(request, project, pk):\n"
        "    items = Item.objects.filter(project=project)\n"
        "    item = get_object_or_404(Item, pk=pk, project=project)\n"
        "    mine = get_object_or_404(selectors.items_of(project), pk=pk)\n"
        "    return selectors.items_of(project), project.items.all(), mine\n"
    )
    assert manager_reads_in(module) == [2, 3]


# The ground's views are the error pages; the composition apps have no models of their own to write.
WITHOUT_SPLIT = {"core"}


def test_every_app_with_models_and_views_has_its_selectors_and_services():
    missing = []
    for app in sorted(LAYER_OF):
        folder = ROOT / app
        has = {
            name: (folder / f"{name}.py").exists() or (folder / name).is_dir()
            for name in ("models", "views", "selectors", "services")
        }
        has["views"] = has["views"] or any(folder.glob("*views.py"))
        if app in WITHOUT_SPLIT or not (has["models"] and has["views"]):
            continue
        missing += [f"{app}/{name}.py" for name in ("selectors", "services") if not has[name]]
    assert missing == [], "reads go in selectors.py, writes in services.py"


# Drawings: the `<svg>` root is written once, in core/svg.py; the list of modules still writing their own only
# shrinks (empty since the territories' radar stands on core.svg's).
SVG_ROOTS_STILL_OWN: set[str] = set()


def modules_writing_an_svg_root():
    return {
        path.relative_to(ROOT).as_posix()
        for app in LAYER_OF
        for path in (ROOT / app).rglob("*.py")
        if "<svg xmlns" in path.read_text(encoding="utf-8")
    } - {"core/svg.py"}


def test_drawings_take_their_svg_root_from_core():
    assert sorted(modules_writing_an_svg_root() - SVG_ROOTS_STILL_OWN) == [], "use core.svg.svg_document"


def test_the_list_of_drawings_with_their_own_root_only_shrinks():
    assert sorted(SVG_ROOTS_STILL_OWN - modules_writing_an_svg_root()) == []


def test_no_app_imports_another_app_s_views():
    # A view is an entry point: what another app needs from it (a query, a label) belongs in a selector.
    found = []
    for app in sorted(LAYER_OF):
        for path in sorted((ROOT / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                modules = (
                    [alias.name for alias in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module]
                    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                    else []
                )
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {module}"
                    for module in modules
                    if module.split(".")[0] in set(LAYER_OF) - {app}
                    and any(part == "views" or part.endswith("_views") for part in module.split(".")[1:])
                ]
    assert found == []


def test_production_code_does_not_know_the_test_world():
    # The URL kwargs of the access table are built in tests/url_kwargs.py, from the test world.
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for app in sorted(LAYER_OF)
        for path in sorted((ROOT / app).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.Lambda)
        and any(arg.arg == "world" for arg in node.args.args + node.args.kwonlyargs)
    ]
    assert found == []
