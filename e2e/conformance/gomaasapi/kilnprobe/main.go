// Command kilnprobe drives a MAAS API server through Juju's gomaasapi typed Controller (Debian's
// golang-github-juju-gomaasapi-dev, unmodified) and prints one JSON line per call, so that the
// conformance test can tell exactly which calls a strict client can make against Kiln.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/juju/gomaasapi"
)

type line struct {
	Call   string      `json:"call"`
	OK     bool        `json:"ok"`
	Error  string      `json:"error,omitempty"`
	Result interface{} `json:"result,omitempty"`
}

var failed bool

func report(call string, result interface{}, err error) {
	l := line{Call: call, OK: err == nil, Result: result}
	if err != nil {
		l.Error = err.Error()
		failed = true
	}
	out, _ := json.Marshal(l)
	fmt.Println(string(out))
}

func names(n int, name func(int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = name(i)
	}
	sort.Strings(out)
	return out
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: kilnprobe <base URL ending /MAAS/> <api key> <free hostname prefix>")
		os.Exit(64)
	}
	controller, err := gomaasapi.NewController(gomaasapi.ControllerArgs{BaseURL: os.Args[1], APIKey: os.Args[2]})
	report("NewController", nil, err)
	if err != nil {
		os.Exit(1)
	}
	major, minor, err := controller.APIVersionInfo()
	report("APIVersionInfo", []string{major, minor}, err)
	report("Capabilities", controller.Capabilities().SortedValues(), nil)

	zones, err := controller.Zones()
	report("Zones", names(len(zones), func(i int) string { return zones[i].Name() }), err)
	pools, err := controller.Pools()
	report("Pools", names(len(pools), func(i int) string { return pools[i].Name() }), err)
	spaces, err := controller.Spaces()
	report("Spaces", names(len(spaces), func(i int) string { return spaces[i].Name() }), err)
	fabrics, err := controller.Fabrics()
	report("Fabrics", names(len(fabrics), func(i int) string { return fabrics[i].Name() }), err)
	routes, err := controller.StaticRoutes()
	report("StaticRoutes", names(len(routes), func(i int) string {
		return routes[i].Source().CIDR() + "->" + routes[i].Destination().CIDR() + " via " + routes[i].GatewayIP()
	}), err)
	domains, err := controller.Domains()
	report("Domains", names(len(domains), func(i int) string { return domains[i].Name() }), err)
	resources, err := controller.BootResources()
	report("BootResources", names(len(resources), func(i int) string {
		return resources[i].Name() + " " + resources[i].Architecture()
	}), err)
	tags, err := controller.Tags()
	report("Tags", names(len(tags), func(i int) string { return tags[i].Name() }), err)

	machines, err := controller.Machines(gomaasapi.MachinesArgs{})
	report("Machines", names(len(machines), func(i int) string {
		m := machines[i]
		return fmt.Sprintf("%s disks=%d interfaces=%d", m.Hostname(), len(m.BlockDevices()), len(m.InterfaceSet()))
	}), err)
	if len(machines) > 0 {
		filtered, err := controller.Machines(gomaasapi.MachinesArgs{Hostnames: []string{machines[0].Hostname()}})
		report("Machines(Hostnames)", names(len(filtered), func(i int) string { return filtered[i].Hostname() }), err)
		byZone, err := controller.Machines(gomaasapi.MachinesArgs{Zone: "default"})
		report("Machines(Zone)", len(byZone), err)
	}

	machine, matches, err := controller.AllocateMachine(gomaasapi.AllocateMachineArgs{
		MinCPUCount: 1, MinMemory: 1024, Zone: "default", AgentName: "kilnprobe",
	})
	if err != nil {
		report("AllocateMachine", nil, err)
		os.Exit(1)
	}
	report("AllocateMachine", map[string]interface{}{
		"hostname": machine.Hostname(), "status": machine.StatusName(), "storage_matches": len(matches.Storage),
		"disks": len(machine.PhysicalBlockDevices()), "boot_interface": machine.BootInterface() != nil,
	}, nil)

	err = machine.SetOwnerData(map[string]string{"juju-model-uuid": "f00d", "claimed": "yes"})
	report("SetOwnerData", nil, err)
	owned, err := controller.Machines(gomaasapi.MachinesArgs{OwnerData: map[string]string{"claimed": "yes"}})
	report("Machines(OwnerData)", names(len(owned), func(i int) string { return owned[i].Hostname() }), err)
	err = machine.SetOwnerData(map[string]string{"claimed": ""})
	report("SetOwnerData(clear)", machine.OwnerData(), err)

	err = machine.Start(gomaasapi.StartArgs{DistroSeries: "noble", UserData: "I2Nsb3VkLWNvbmZpZwo=", Comment: "probe"})
	report("Start", machine.StatusName(), err)

	device, err := controller.CreateDevice(gomaasapi.CreateDeviceArgs{
		Hostname: os.Args[3] + "-device", MACAddresses: []string{"52:54:00:ee:00:01"},
	})
	if err == nil {
		report("CreateDevice", map[string]interface{}{"hostname": device.Hostname(), "fqdn": device.FQDN(), "interfaces": len(device.InterfaceSet())}, nil)
		devices, err := controller.Devices(gomaasapi.DevicesArgs{Hostname: []string{os.Args[3] + "-device"}})
		report("Devices", names(len(devices), func(i int) string { return devices[i].Hostname() }), err)
		iface, err := device.CreateInterface(gomaasapi.CreateInterfaceArgs{Name: "eth1", MACAddress: "52:54:00:ee:00:02", VLAN: fabrics[0].VLANs()[0]})
		if err == nil {
			report("Device.CreateInterface", iface.Name(), nil)
		} else {
			report("Device.CreateInterface", nil, err)
		}
		report("Device.Delete", nil, device.Delete())
	} else {
		report("CreateDevice", nil, err)
	}

	err = controller.AddFile(gomaasapi.AddFileArgs{Filename: os.Args[3] + "-state", Content: []byte("juju state\x00\x01")})
	report("AddFile", nil, err)
	files, err := controller.Files(os.Args[3])
	report("Files", names(len(files), func(i int) string { return files[i].Filename() }), err)
	file, err := controller.GetFile(os.Args[3] + "-state")
	if err == nil {
		content, err := file.ReadAll()
		report("File.ReadAll", fmt.Sprintf("%q", content), err)
		report("File.Delete", nil, file.Delete())
		_, err = controller.GetFile(os.Args[3] + "-state")
		report("GetFile(deleted)", gomaasapi.IsNoMatchError(err), nil)
	} else {
		report("GetFile", nil, err)
	}

	err = controller.ReleaseMachines(gomaasapi.ReleaseMachinesArgs{SystemIDs: []string{machine.SystemID()}, Comment: "probe done"})
	report("ReleaseMachines", nil, err)
	if failed {
		os.Exit(1)
	}
}
