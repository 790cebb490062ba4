# The Locust side of bench/ephemeral-test: each user sends the load step's request (POST /predict
# with a JSON body) back to back, no wait between tasks. LOCUST_CLIENT=fast picks FastHttpUser
# (geventhttpclient), Locust's faster client; the default is HttpUser (requests), what most
# locustfiles, seed 004's among them, are written with.
import json
import os

from locust import FastHttpUser, HttpUser, constant, task

BODY = json.loads(os.environ.get("LOAD_BODY", '{"inputs": [[6.1, 2.8, 4.7, 1.2]]}'))
PATH = os.environ.get("LOAD_PATH", "/predict")

if os.environ.get("LOCUST_CLIENT") == "fast":

    class Predict(FastHttpUser):
        wait_time = constant(0)

        @task
        def predict(self):
            self.client.post(PATH, json=BODY)

else:

    class Predict(HttpUser):
        wait_time = constant(0)

        @task
        def predict(self):
            self.client.post(PATH, json=BODY)
