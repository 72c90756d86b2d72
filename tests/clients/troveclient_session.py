"""python-troveclient's Python API with a keystoneauth session against the service's identity endpoint.

Run by tests/Schedules.Tests/Clients/TroveClientTests.cs with SCHEDULES_URL, SCHEDULES_USER, SCHEDULES_PASSWORD,
SCHEDULES_PROJECT and SCHEDULES_INSTANCE set. Prints one JSON document of what the client read back.
"""
import json
import os
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3
from troveclient.v1 import client

auth = v3.Password(
    auth_url=os.environ["SCHEDULES_URL"] + "/v3",
    username=os.environ["SCHEDULES_USER"],
    password=os.environ["SCHEDULES_PASSWORD"],
    user_domain_id="default",
    project_id=os.environ["SCHEDULES_PROJECT"],
)
trove = client.Client(session=session.Session(auth=auth))
instance_id = os.environ["SCHEDULES_INSTANCE"]

instances = trove.instances.list()
created = trove.backups.create("nightly", instance_id, description="from troveclient")
shown = trove.backups.get(created.id)
deadline = time.monotonic() + 20
while shown.status != "COMPLETED" and time.monotonic() < deadline:
    time.sleep(0.1)
    shown = trove.backups.get(created.id)
listed = trove.backups.list()
of_instance = trove.instances.backups(instance_id)
trove.backups.delete(created.id)
after_delete = trove.backups.list()

print(json.dumps({
    "instances": [{"id": i.id, "name": i.name, "status": i.status} for i in instances],
    "created": {"id": created.id, "name": created.name, "status": created.status,
                "instance_id": created.instance_id, "description": created.description},
    "shown": {"id": shown.id, "name": shown.name, "instance_id": shown.instance_id, "status": shown.status},
    "listed": [b.id for b in listed],
    "of_instance": [b.id for b in of_instance],
    "after_delete": [b.id for b in after_delete],
}))
