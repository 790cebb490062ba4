"""An MLflow `authorization_function` that accepts bearer tokens as well as basic auth.

MLflow's basic-auth app checks only Basic credentials; deployments that put tokens in front of
MLflow do it with a custom authorization_function (the documented extension point). This one maps
the token in MLFLOW_TEST_BEARER_TOKEN to the user in MLFLOW_TEST_BEARER_USER and otherwise falls
back to MLflow's own basic auth, so one real server tests both schemes.
"""

import hmac
import os

from flask import request
from werkzeug.datastructures import Authorization

from mlflow.server.auth import authenticate_request_basic_auth, make_basic_auth_response


def authenticate():
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        expected = os.environ.get("MLFLOW_TEST_BEARER_TOKEN", "")
        if expected and hmac.compare_digest(header[7:].strip(), expected):
            return Authorization("bearer", {"username": os.environ.get("MLFLOW_TEST_BEARER_USER", "admin")})
        return make_basic_auth_response()
    return authenticate_request_basic_auth()
