"""The baseline: what seed 000's fetch_mlflow_metadata.py does, with MLflow's own Python client.

MlflowClient().get_model_version + get_run, the same dictionary, json.dump. Used by the
benchmark (whole-process time) and by the integration test that checks the action keeps every
field of the original script with the same names and values.

Usage: python baseline.py --model-name NAME --model-version N --output-file out.json
(MLFLOW_TRACKING_URI and credentials from the environment, as in the seed.)
"""

import argparse
import json
import sys

from mlflow.tracking import MlflowClient


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-name", required=True)
    parser.add_argument("--model-version", required=True)
    parser.add_argument("--output-file", required=True)
    parser.add_argument("--metric-history", action="store_true",
                        help="also fetch every metric's history (the benchmark's heavy case)")
    args = parser.parse_args()

    client = MlflowClient()
    v = client.get_model_version(name=args.model_name, version=args.model_version)
    data = client.get_run(v.run_id).data
    metadata = {
        "model_name": v.name,
        "version": v.version,
        "stage": v.current_stage,
        "description": v.description,
        "run_id": v.run_id,
        "source_artifact_uri": v.source,
        "created_timestamp": v.creation_timestamp,
        "last_updated_timestamp": v.last_updated_timestamp,
        "metrics": data.metrics,
        "params": data.params,
        "tags": {k: val for k, val in data.tags.items() if not k.startswith("mlflow.")},
    }
    if args.metric_history:
        metadata["metric_history"] = {
            key: [{"step": m.step, "timestamp": m.timestamp, "value": m.value}
                  for m in client.get_metric_history(v.run_id, key)]
            for key in data.metrics
        }
    with open(args.output_file, "w") as f:
        json.dump(metadata, f, indent=4)


if __name__ == "__main__":
    sys.exit(main())
