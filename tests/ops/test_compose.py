"""The several-nodes deployment, read as files: docker-compose.scale.yml over docker-compose.yml, the proxy's
configuration and the image, against what the README's « Plusieurs nœuds » promises.

No Docker here (the CI machine has no daemon): what a parse can check is checked, cheaply — the services and
their replicas, the single beat, the one-shot migrations, the shared bucket, the proxy's image able to read
its configuration, and the names and ports that tie the proxy to the web replicas. bench/load.py --proxy runs
the same nginx configuration in front of real nodes.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
APP_SERVICES = ("web", "worker", "beat")


class _ComposeLoader(yaml.SafeLoader):
    """YAML as Docker Compose reads it: its merge tags `!reset` and `!override` kept as markers."""


class Reset(list):
    pass


_ComposeLoader.add_constructor("!reset", lambda loader, node: Reset(loader.construct_sequence(node)))
_ComposeLoader.add_constructor("!override", lambda loader, node: loader.construct_sequence(node))


def _compose(name: str) -> dict:
    return yaml.load((ROOT / name).read_text(), Loader=_ComposeLoader)  # noqa: S506 - a SafeLoader subclass


@pytest.fixture(scope="module")
def base():
    return _compose("docker-compose.yml")["services"]


@pytest.fixture(scope="module")
def scale():
    return _compose("docker-compose.scale.yml")["services"]


@pytest.fixture(scope="module")
def proxy_conf():
    return (ROOT / "deploy" / "nginx-scale.conf").read_text()


def _command(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_scale_file_runs_two_web_replicas_two_workers_and_exactly_one_beat(base, scale):
    assert set(scale) == {"migrate", "web", "worker", "beat", "proxy"}
    assert set(scale) - {"migrate", "proxy"} <= set(base)
    assert scale["web"]["deploy"]["replicas"] == 2
    assert scale["worker"]["deploy"]["replicas"] == 2
    assert scale["beat"]["deploy"]["replicas"] == 1
    assert "celery -A fabrique worker" in _command(base["worker"])
    assert "celery -A fabrique beat" in _command(base["beat"])


def test_the_migrations_run_once_before_the_site_the_workers_or_beat_start(base, scale):
    migrate = base["migrate"]
    assert _command(migrate) == "python manage.py migrate --noinput"
    assert migrate["restart"] == "no"
    assert "replicas" not in migrate.get("deploy", {}) and "deploy" not in scale["migrate"]
    for name in APP_SERVICES:
        depends_on = base[name]["depends_on"]
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends_on["postgres"] == depends_on["redis"] == {"condition": "service_healthy"}, name
    # No other service migrates: on one node as on several, a process never starts on a half-migrated schema,
    # and two replicas never migrate at the same time.
    services = [*base.values(), *scale.values()]
    commands = [_command(service) for service in services if "command" in service]
    assert [command for command in commands if "migrate" in command] == [_command(migrate)]
    assert _command(base["web"]) == "gunicorn fabrique.wsgi --bind 0.0.0.0:8000 --forwarded-allow-ips *"


def test_every_node_of_the_scale_file_shares_the_bucket_named_in_the_environment(scale):
    for name in ("migrate", *APP_SERVICES):
        assert scale[name]["environment"]["STORAGE_URL"].startswith("${STORAGE_URL:?"), name


def test_only_the_proxy_is_published_and_it_reaches_every_web_replica_by_name(base, scale, proxy_conf):
    # `ports: !reset []` takes the single node's published port away from the replicas.
    assert isinstance(scale["web"]["ports"], Reset) and scale["web"]["ports"] == []
    published = [port for service in scale.values() for port in service.get("ports", ())]
    assert published == base["web"]["ports"] == ["${WEB_PORT:-127.0.0.1:8000}:8000"]
    assert scale["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert "./deploy/nginx-scale.conf:/etc/nginx/conf.d/default.conf:ro" in scale["proxy"]["volumes"]
    # The proxy listens on the published container port and finds the replicas by the service's name, on the
    # port gunicorn binds; two proxies in front (the host's and this one) for the client's address.
    assert re.search(r"^\s*listen 8000;$", proxy_conf, re.MULTILINE)
    assert re.search(r"^\s*server web:8000 resolve;$", proxy_conf, re.MULTILINE)
    assert re.search(r"^resolver 127\.0\.0\.11 ", proxy_conf, re.MULTILINE)
    assert scale["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-2}"


def test_the_proxy_image_understands_the_upstream_resolve_parameter(scale, proxy_conf):
    # Open-source nginx reads `server … resolve` from 1.27.3 on; an older image refuses the whole file.
    assert " resolve;" in proxy_conf
    image = scale["proxy"]["image"]
    version = re.fullmatch(r"nginx:(\d+)\.(\d+)(?:\.(\d+))?-\w+", image)
    assert version, image
    major, minor, patch = (int(part) if part else None for part in version.groups())
    # A floating minor tag (nginx:1.30-…) is its newest patch release.
    assert (major, minor, patch if patch is not None else 99) >= (1, 27, 3), image
    # nginx fixes its stable branch (even minor) for production; an odd minor is mainline, where new
    # features land first, and nginx supports only the newest of each.
    assert minor % 2 == 0, image


def test_the_readme_names_the_proxy_image_of_the_scale_file(scale):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Plusieurs nœuds", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`(nginx:[^`]+)`", section)) == {scale["proxy"]["image"]}


def test_the_static_files_are_collected_in_the_image_and_not_by_each_starting_replica(base, scale):
    dockerfile = (ROOT / "Dockerfile").read_text()
    # A RUN instruction, continued over lines ending in a backslash, that ends with collectstatic.
    run = r"^RUN [^\n]*(?:\\\n[^\n]*)*manage\.py collectstatic --noinput$"
    collect = re.search(run, dockerfile, re.MULTILINE)
    assert collect, "the Dockerfile collects no static files"
    # After the application's files are copied, as root: the application cannot rewrite them.
    copied, user = dockerfile.index("COPY --chown=root:root . ."), dockerfile.index("USER fabrique")
    assert copied < collect.start() < user
    services = [*base.values(), *scale.values()]
    commands = [_command(service) for service in services if "command" in service]
    assert commands and not [command for command in commands if "collectstatic" in command]


def test_the_image_serves_on_the_port_the_proxy_and_the_compose_files_use():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "fabrique.wsgi", "--bind", "0.0.0.0:8000"]' in dockerfile
    assert "EXPOSE 8000" in dockerfile
    for copied in re.findall(r"^COPY (?!--)(.+) \./$", dockerfile, re.MULTILINE):
        for name in copied.split():
            assert (ROOT / name).exists(), name


def test_the_readme_gives_the_commands_of_the_scale_file_and_keeps_beat_single():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Plusieurs nœuds", 1)[1].split("\n## ", 1)[0]
    assert "docker compose -f docker-compose.yml -f docker-compose.scale.yml up -d --build" in section
    assert "**beat**" in section and "deploy/nginx-scale.conf" in section
    assert "bench/load.py --proxy" in section
    # `!reset` (the replicas' ports) is read from Docker Compose 2.24 on: the README says so.
    assert "!reset" in (ROOT / "docker-compose.scale.yml").read_text()
    assert "Docker Compose 2.24 ou plus récent" in section
