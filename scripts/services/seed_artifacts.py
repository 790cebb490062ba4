"""Log a model's files to an MLflow server the two ways a data scientist does, with MLflow's own client.

Usage: python seed_artifacts.py --tracking-uri URI --files DIR --model-name NAME --out manifest.json

- an MLflow 3 logged model (create_logged_model + log_model_artifacts), registered with the
  source `models:/<model_id>`, as `mlflow.<flavor>.log_model(..., registered_model_name=...)` does;
- the same files logged to another run under `model/`, registered with `runs:/<run_id>/model`
  (MLflow 2's way);
- the first run's `runs:/<run_id>/model`, which MLflow 3 resolves to the run's logged model.

The files go up through the server's artifact proxy, so the downloads the tests check read back
exactly what MLflow stored. Credentials come from MLFLOW_TRACKING_USERNAME/PASSWORD as usual.
"""

import argparse
import json
import os
import warnings

warnings.filterwarnings("ignore")

from mlflow.entities import LoggedModelStatus  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--files", required=True, help="directory holding the model's files")
    parser.add_argument("--model-name", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--experiment", default="artifact-downloads")
    args = parser.parse_args()

    client = MlflowClient(tracking_uri=args.tracking_uri, registry_uri=args.tracking_uri)
    exp = client.get_experiment_by_name(args.experiment)
    exp_id = exp.experiment_id if exp else client.create_experiment(args.experiment)

    # MLflow 3: log_model(name="model") inside a run makes a logged model linked to the run, and
    # registers it with the source models:/<model_id>; runs:/<run_id>/model still names it.
    run = client.create_run(exp_id, run_name=f"{args.model_name}-train")
    run_id = run.info.run_id
    logged = client.create_logged_model(exp_id, name="model", source_run_id=run_id)
    client.log_model_artifacts(logged.model_id, args.files)
    client.finalize_logged_model(logged.model_id, LoggedModelStatus.READY)
    client.set_terminated(run_id, status="FINISHED")

    # MLflow 2: the model's files are artifacts of the run, under model/.
    run2 = client.create_run(exp_id, run_name=f"{args.model_name}-train-v2-style")
    run2_id = run2.info.run_id
    client.log_artifacts(run2_id, args.files, "model")
    client.set_terminated(run2_id, status="FINISHED")

    try:
        client.create_registered_model(args.model_name)
    except MlflowException:
        pass  # already there: the versions are added to it
    v_logged = client.create_model_version(
        args.model_name, source=f"models:/{logged.model_id}", run_id=run_id, model_id=logged.model_id
    )
    v_run = client.create_model_version(args.model_name, source=f"runs:/{run2_id}/model", run_id=run2_id)
    v_run_logged = client.create_model_version(args.model_name, source=f"runs:/{run_id}/model", run_id=run_id)

    with open(args.out, "w") as f:
        json.dump(
            {
                "model_name": args.model_name,
                "run_id": run_id,
                "run2_id": run2_id,
                "experiment_id": exp_id,
                "logged_model_id": logged.model_id,
                "logged_model_artifact_uri": client.get_logged_model(logged.model_id).artifact_location,
                "run2_artifact_uri": client.get_run(run2_id).info.artifact_uri,
                "versions": {
                    "logged_model": v_logged.version,
                    "run_artifacts": v_run.version,
                    "run_logged_model": v_run_logged.version,
                },
            },
            f,
        )


if __name__ == "__main__":
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    main()
