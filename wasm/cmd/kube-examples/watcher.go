package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
)

// pod-watcher watches pods with a client-go informer (a
// SharedInformerFactory and an event handler) and prints a line for each
// change as it happens: ADDED, MODIFIED (with the phase) and DELETED. With
// -tick it also prints a line at that interval, from another goroutine.
func podWatcher() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: pod-watcher [-n NAMESPACE] [-tick DURATION]\n\nWatches the pods of NAMESPACE (default: default) through the Kubernetes API\nwith an informer, and prints ADDED, MODIFIED and DELETED lines as they come.\n\n")
		flag.PrintDefaults()
	}
	namespace := flag.String("n", "default", "namespace to watch")
	tick := flag.Duration("tick", 0, "also print a tick line at this interval")
	flag.Parse()
	config, err := rest.InClusterConfig()
	if err != nil {
		log.Fatal(err)
	}
	clientset, err := kubernetes.NewForConfig(config)
	if err != nil {
		log.Fatal(err)
	}
	factory := informers.NewSharedInformerFactoryWithOptions(clientset, 10*time.Minute, informers.WithNamespace(*namespace))
	pods := factory.Core().V1().Pods().Informer()
	pods.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj interface{}) {
			p := obj.(*corev1.Pod)
			fmt.Printf("ADDED %s/%s %s\n", p.Namespace, p.Name, p.Status.Phase)
		},
		UpdateFunc: func(old, obj interface{}) {
			p := obj.(*corev1.Pod)
			if old.(*corev1.Pod).ResourceVersion == p.ResourceVersion {
				return // a resync, not a change
			}
			fmt.Printf("MODIFIED %s/%s %s\n", p.Namespace, p.Name, p.Status.Phase)
		},
		DeleteFunc: func(obj interface{}) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			p := obj.(*corev1.Pod)
			fmt.Printf("DELETED %s/%s\n", p.Namespace, p.Name)
		},
	})
	stop := make(chan struct{})
	factory.Start(stop)
	if !cache.WaitForCacheSync(stop, pods.HasSynced) {
		log.Fatal("the pod informer did not sync")
	}
	fmt.Println("synced")
	if *tick > 0 {
		go func() {
			for t := range time.Tick(*tick) {
				fmt.Printf("tick %s\n", t.UTC().Format("15:04:05.000"))
			}
		}()
	}
	<-stop
}
