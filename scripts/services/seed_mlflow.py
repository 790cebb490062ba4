"""Seed an MLflow tracking server the way a data scientist would, with MLflow's own client.

Usage: python seed_mlflow.py --tracking-uri URI --out seed.json

Writes a manifest (run ids, model names, versions) that tests and the demo read. Everything is
created through the public MlflowClient API, so the server's own REST responses are what the
actions later read back: nothing here writes the database directly.
"""

import argparse
import json
import math
import os
import random
import time
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("MLFLOW_ENABLE_ASYNC_LOGGING", "false")

from mlflow.entities import Metric, Param, RunTag  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

PROD_MODEL = "prod-recommendation-engine"
UNICODE_MODEL = "Modèle de prévision – ventes été"
HISTORY_MODEL = "history-heavy-model"
EMPTY_MODEL = "empty-model"

DESCRIPTION_V3 = """# Recommendation engine v3

Trained on **90 days** of clicks. Compared with v2:

- recall@10 up by 2 points
- latency unchanged

See the [design doc](https://example.com/design) and `feature_store.v7`.
"""


def log_history(client, run_id, metrics, steps, start_ms):
    """Log each metric over `steps` steps with log_batch (the server caps a batch at 1000 metrics)."""
    batch = []
    for step in range(steps):
        ts = start_ms + step * 1000
        for key, fn in metrics.items():
            batch.append(Metric(key=key, value=float(fn(step)), timestamp=ts, step=step))
            if len(batch) == 1000:
                client.log_batch(run_id, metrics=batch)
                batch = []
    if batch:
        client.log_batch(run_id, metrics=batch)


def make_run(client, experiment_id, name, params, tags, metrics, steps, start_ms, git_commit):
    run = client.create_run(
        experiment_id,
        run_name=name,
        tags={"mlflow.source.git.commit": git_commit, "mlflow.user": "ada", **tags},
        start_time=start_ms,
    )
    run_id = run.info.run_id
    client.log_batch(run_id, params=[Param(k, str(v)) for k, v in params.items()])
    log_history(client, run_id, metrics, steps, start_ms)
    client.set_terminated(run_id, status="FINISHED", end_time=start_ms + steps * 1000 + 5000)
    return client.get_run(run_id)


def register(client, name, run, description=None, tags=None):
    mv = client.create_model_version(
        name=name,
        source=f"{run.info.artifact_uri}/model",
        run_id=run.info.run_id,
        description=description,
        tags=tags or {},
    )
    return mv.version


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--history-steps", type=int, default=1000)
    parser.add_argument("--history-metrics", type=int, default=50)
    parser.add_argument("--auth-users", action="store_true",
                        help="basic-auth server: also create a user that may not read the production model")
    args = parser.parse_args()

    client = MlflowClient(tracking_uri=args.tracking_uri, registry_uri=args.tracking_uri)
    rnd = random.Random(42)
    t0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z, fixed so pages and screenshots are stable

    exp_id = client.create_experiment("recommendations", tags={"team": "recs"})
    commits = ["3f2c1e9a7b6d5c4e3f2a1b0c9d8e7f6a5b4c3d2e", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
               "0badc0ffee0ddf00d1234567890abcdef1234567"]
    runs = []
    for i, lr in enumerate([0.1, 0.03, 0.01]):
        acc_end = 0.82 + 0.04 * i
        run = make_run(
            client, exp_id, f"recs-train-{i + 1}",
            params={"learning_rate": lr, "epochs": 200, "optimizer": "adam", "embedding_dim": 64 * (i + 1)},
            tags={"team": "recs", "dataset": f"clicks-2026-0{i + 1}", "owner": "ada@example.com"},
            metrics={
                "accuracy": lambda s, a=acc_end: a - 0.3 * math.exp(-s / 40) + rnd.uniform(-0.002, 0.002),
                "loss": lambda s, i=i: 0.2 + 1.5 * math.exp(-s / (30 + 5 * i)),
                "recall_at_10": lambda s, i=i: 0.55 + 0.02 * i - 0.2 * math.exp(-s / 50),
                "val_loss": lambda s, i=i: 0.25 + 1.4 * math.exp(-s / (35 + 5 * i)),
            },
            steps=200, start_ms=t0 + i * 86_400_000, git_commit=commits[i],
        )
        runs.append(run)

    client.create_registered_model(
        PROD_MODEL,
        tags={"owner": "recs-team", "tier": "1"},
        description="Ranks items for the **home page** carousel.",
    )
    v1 = register(client, PROD_MODEL, runs[0], description="First baseline.")
    v2 = register(client, PROD_MODEL, runs[1], description="Second model, bigger embeddings.",
                  tags={"validated": "true"})
    v3 = register(client, PROD_MODEL, runs[2], description=DESCRIPTION_V3,
                  tags={"validated": "true", "ticket": "ML-1234"})
    # Legacy stages, the way teams still on MLflow 1.x/2.x workflows use them.
    client.transition_model_version_stage(PROD_MODEL, v1, "Archived")
    client.transition_model_version_stage(PROD_MODEL, v2, "Production")
    client.transition_model_version_stage(PROD_MODEL, v3, "Staging")
    client.set_registered_model_alias(PROD_MODEL, "champion", v3)
    client.set_registered_model_alias(PROD_MODEL, "challenger", v2)
    client.set_registered_model_alias(PROD_MODEL, "previous-production", v1)

    # Names close to the production one, so a typo has neighbours to suggest.
    for extra in ["prod-ranking-engine", "recommendation-engine-experimental"]:
        client.create_registered_model(extra)
        register(client, extra, runs[0])

    # A model whose name has spaces and non-ASCII letters: every URL and query must encode it.
    uexp = client.create_experiment("prévisions été")
    urun = make_run(
        client, uexp, "entraînement-été",
        params={"saison": "été", "horizon_jours": 28},
        tags={"équipe": "ventes", "région": "Île-de-France"},
        metrics={"mape": lambda s: 0.12 + 0.3 * math.exp(-s / 20), "rmse": lambda s: 40 + 100 * math.exp(-s / 25)},
        steps=50, start_ms=t0 + 10 * 86_400_000, git_commit=commits[0],
    )
    client.create_registered_model(UNICODE_MODEL, description="Prévision des ventes d'été, par magasin.")
    uv = register(client, UNICODE_MODEL, urun, description="Première version « été ».")
    client.set_registered_model_alias(UNICODE_MODEL, "production", uv)

    # A run with many metrics over many steps: metric-history pagination and the benchmark.
    hexp = client.create_experiment("history-heavy")
    n = args.history_metrics
    hrun = make_run(
        client, hexp, "long-training",
        params={"steps": args.history_steps, "metrics": n},
        tags={"purpose": "history"},
        metrics={f"metric_{k:02d}": (lambda s, k=k: math.sin(s / 50 + k) + k) for k in range(n)},
        steps=args.history_steps, start_ms=t0 + 20 * 86_400_000, git_commit=commits[1],
    )
    client.create_registered_model(HISTORY_MODEL)
    hv = register(client, HISTORY_MODEL, hrun)

    # A registered model with no versions at all.
    client.create_registered_model(EMPTY_MODEL, description="Nothing registered yet.")

    users = {}
    if args.auth_users:
        # A real permission denial: a user the basic-auth app knows, with no access to one model.
        from mlflow.server import get_app_client

        auth = get_app_client("basic-auth", tracking_uri=args.tracking_uri)
        auth.create_user(username="outsider", password="outsider-pass-1234")
        auth.grant_user_permission(username="outsider", resource_type="registered_model", resource_id=PROD_MODEL,
                                   permission="DENY")
        users["outsider"] = {"password": "outsider-pass-1234", "denied_model": PROD_MODEL}

    manifest = {
        "users": users,
        "tracking_uri": args.tracking_uri,
        "experiment_id": exp_id,
        "prod_model": {
            "name": PROD_MODEL,
            "versions": {"1": v1, "2": v2, "3": v3},
            "run_ids": [r.info.run_id for r in runs],
            "git_commits": commits,
            "aliases": {"champion": v3, "challenger": v2, "previous-production": v1},
            "stages": {"Archived": v1, "Production": v2, "Staging": v3},
            "description_v3": DESCRIPTION_V3,
        },
        "unicode_model": {"name": UNICODE_MODEL, "version": uv, "run_id": urun.info.run_id,
                          "experiment_id": uexp, "alias": "production"},
        "history_model": {"name": HISTORY_MODEL, "version": hv, "run_id": hrun.info.run_id,
                          "metrics": n, "steps": args.history_steps},
        "empty_model": {"name": EMPTY_MODEL},
        "seeded_at": int(time.time()),
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
