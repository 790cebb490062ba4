"""Drives a real MLflow server with MLflow's own Python client for the webhook relay tests.

  webhook  --tracking-uri U --url URL --secret S --events e1,e2   register a webhook (create_webhook)
  versions --tracking-uri U --model M --count N [--alias A]       register N versions of M, then
                                                                   point alias A at the last one
Prints a JSON line with what it made.
"""

import argparse
import json

from mlflow import MlflowClient


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["webhook", "versions"])
    parser.add_argument("--tracking-uri", required=True)
    parser.add_argument("--url")
    parser.add_argument("--name", default="github-relay")
    parser.add_argument("--secret")
    parser.add_argument("--events", default="")
    parser.add_argument("--model")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--alias")
    args = parser.parse_args()
    client = MlflowClient(tracking_uri=args.tracking_uri, registry_uri=args.tracking_uri)

    if args.command == "webhook":
        hook = client.create_webhook(
            name=args.name,
            url=args.url,
            events=[e for e in args.events.split(",") if e],
            secret=args.secret,
            description="repository_dispatch through mlflow-webhook-relay",
        )
        print(json.dumps({"webhook_id": hook.webhook_id, "events": [str(e) for e in hook.events]}))
        return

    experiment_id = client.create_experiment(f"relay-{args.model}")
    run = client.create_run(experiment_id, run_name="train")
    client.set_terminated(run.info.run_id)
    client.create_registered_model(args.model, description="registered by the relay test")
    versions = []
    for i in range(args.count):
        mv = client.create_model_version(
            name=args.model,
            source=f"{run.info.artifact_uri}/model",
            run_id=run.info.run_id,
            tags={"build": str(i)},
            description=f"version {i + 1} of the relay test",
        )
        versions.append(mv.version)
    if args.alias:
        client.set_registered_model_alias(args.model, args.alias, versions[-1])
    print(json.dumps({"model": args.model, "versions": versions, "run_id": run.info.run_id}))


if __name__ == "__main__":
    main()
