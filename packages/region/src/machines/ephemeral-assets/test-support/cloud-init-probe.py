# Feeds the files kiln-install writes to Debian's real cloud-init: the MAAS datasource reads the
# metadata server with the token from 90_kiln_datasource.cfg, the webhook reporter from
# 90_kiln_reporting.cfg posts one event, and the v1 network config is parsed and rendered to
# netplan. Prints one JSON object. Run with /usr/bin/python3 (Debian's cloud-init modules).
import json
import sys

import yaml
from cloudinit import distros, helpers
from cloudinit.net import network_state
from cloudinit.net.netplan import Renderer
from cloudinit.reporting import events
from cloudinit.reporting.handlers import WebHookHandler
from cloudinit.sources import DataSourceMAAS

ds_file, reporting_file, network_file, work = sys.argv[1:5]
ds_cfg = yaml.safe_load(open(ds_file))
paths = helpers.Paths({"cloud_dir": work + "/cloud", "run_dir": work + "/run"})
maas = dict(ds_cfg["datasource"]["MAAS"], max_wait=10, timeout=5)
source = DataSourceMAAS.DataSourceMAAS(
    {"datasource": {"MAAS": maas}}, distros.fetch("debian")("debian", {}, paths), paths
)
out = {
    "datasource_list": ds_cfg["datasource_list"],
    "get_data": source.get_data(),
    "instance_id": source.get_instance_id(),
    "local_hostname": source.metadata.get("local-hostname"),
    "userdata": (source.get_userdata_raw() or b"").decode(),
}

reporter = dict(yaml.safe_load(open(reporting_file))["reporting"]["maas"])
assert reporter.pop("type") == "webhook"
handler = WebHookHandler(**reporter)
handler.publish_event(events.ReportingEvent("start", "init-network/config-ssh", "running config-ssh", origin="cloudinit"))
handler.flush()

state = network_state.parse_net_config_data(yaml.safe_load(open(network_file))["network"])
Renderer({"netplan_path": "etc/netplan/50-cloud-init.yaml", "postcmds": False}).render_network_state(
    state, target=work + "/root"
)
out["netplan"] = yaml.safe_load(open(work + "/root/etc/netplan/50-cloud-init.yaml"))
print(json.dumps(out))
