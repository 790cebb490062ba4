-- The wrk side of bench/ephemeral-test: the load step's request, POST /predict with a JSON body.
wrk.method = "POST"
wrk.body = os.getenv("LOAD_BODY") or '{"inputs":[[6.1,2.8,4.7,1.2]]}'
wrk.headers["content-type"] = "application/json"
