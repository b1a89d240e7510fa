// fakegpu: a kubelet device plugin that advertises N fake GPUs under an
// extended resource (nvidia.com/gpu by default) and, on Allocate, hands each
// container what NVIDIA's plugin does: NVIDIA_VISIBLE_DEVICES and
// CUDA_VISIBLE_DEVICES with the allocated device indices. It lets the test
// cluster's real scheduler and kubelet enforce GPU limits with no GPU.
//
//	fakegpu -count 4 [-resource nvidia.com/gpu] [-dir /var/lib/kubelet/device-plugins]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	pluginapi "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

const socketName = "hypertune-fakegpu.sock"
const devicePrefix = "fake-gpu-"

type plugin struct {
	pluginapi.UnimplementedDevicePluginServer
	devices []*pluginapi.Device
}

func (p *plugin) GetDevicePluginOptions(context.Context, *pluginapi.Empty) (*pluginapi.DevicePluginOptions, error) {
	return &pluginapi.DevicePluginOptions{}, nil
}

func (p *plugin) ListAndWatch(_ *pluginapi.Empty, stream grpc.ServerStreamingServer[pluginapi.ListAndWatchResponse]) error {
	if err := stream.Send(&pluginapi.ListAndWatchResponse{Devices: p.devices}); err != nil {
		return err
	}
	<-stream.Context().Done()
	return nil
}

func (p *plugin) Allocate(_ context.Context, req *pluginapi.AllocateRequest) (*pluginapi.AllocateResponse, error) {
	resp := &pluginapi.AllocateResponse{}
	for _, container := range req.ContainerRequests {
		indices := make([]string, 0, len(container.DevicesIds))
		for _, id := range container.DevicesIds {
			indices = append(indices, strings.TrimPrefix(id, devicePrefix))
		}
		slices.Sort(indices)
		visible := strings.Join(indices, ",")
		log.Printf("allocate %v", container.DevicesIds)
		resp.ContainerResponses = append(resp.ContainerResponses, &pluginapi.ContainerAllocateResponse{
			Envs: map[string]string{"NVIDIA_VISIBLE_DEVICES": visible, "CUDA_VISIBLE_DEVICES": visible},
		})
	}
	return resp, nil
}

func (p *plugin) GetPreferredAllocation(context.Context, *pluginapi.PreferredAllocationRequest) (*pluginapi.PreferredAllocationResponse, error) {
	return &pluginapi.PreferredAllocationResponse{}, nil
}

func (p *plugin) PreStartContainer(context.Context, *pluginapi.PreStartContainerRequest) (*pluginapi.PreStartContainerResponse, error) {
	return &pluginapi.PreStartContainerResponse{}, nil
}

var errSocketGone = errors.New("our socket was removed")

// register tells the kubelet where our socket is; retried because the kubelet
// may not have created its registration socket yet. The kubelet dials our
// socket before it answers, so if it emptied the directory meanwhile (it does
// when it starts) register gives up with errSocketGone and serve starts over.
func register(dir, sock, resource string) error {
	var last error
	for attempt := 0; attempt < 60; attempt++ {
		if _, err := os.Stat(sock); err != nil {
			return errSocketGone
		}
		conn, err := grpc.NewClient("unix://"+filepath.Join(dir, "kubelet.sock"), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err = pluginapi.NewRegistrationClient(conn).Register(ctx, &pluginapi.RegisterRequest{
				Version: pluginapi.Version, Endpoint: socketName, ResourceName: resource,
			})
			cancel()
			conn.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		time.Sleep(500 * time.Millisecond)
	}
	return last
}

// serve listens on our socket and registers with the kubelet; it returns
// when the socket disappears, as it does when the kubelet starts (its device
// manager empties the directory) or restarts, so main can start over.
func serve(p *plugin, dir, resource string, count int) error {
	sock := filepath.Join(dir, socketName)
	_ = os.Remove(sock)
	lis, err := net.Listen("unix", sock)
	if err != nil {
		return err
	}
	srv := grpc.NewServer()
	pluginapi.RegisterDevicePluginServer(srv, p)
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()
	if err := register(dir, sock, resource); errors.Is(err, errSocketGone) {
		log.Printf("%s was removed before the kubelet took it; starting over", sock)
		return nil
	} else if err != nil {
		return fmt.Errorf("register with the kubelet: %w", err)
	}
	log.Printf("registered %d x %s", count, resource)
	for {
		time.Sleep(time.Second)
		if _, err := os.Stat(sock); err != nil {
			log.Printf("%s is gone (kubelet restarted?); registering again", sock)
			return nil
		}
	}
}

func main() {
	count := flag.Int("count", 4, "fake devices to advertise")
	resource := flag.String("resource", "nvidia.com/gpu", "extended resource name")
	// The kubelet serves device plugins from this fixed path whatever its --root-dir.
	dir := flag.String("dir", pluginapi.DevicePluginPath, "the kubelet's device-plugins directory")
	flag.Parse()

	p := &plugin{}
	for i := 0; i < *count; i++ {
		p.devices = append(p.devices, &pluginapi.Device{ID: fmt.Sprintf("%s%d", devicePrefix, i), Health: pluginapi.Healthy})
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	for {
		if err := serve(p, *dir, *resource, *count); err != nil {
			log.Fatal(err)
		}
	}
}
