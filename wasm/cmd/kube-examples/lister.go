package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// pod-lister is the classic in-cluster client-go program: it reads
// the pod's service account (rest.InClusterConfig), makes a clientset and
// lists the pods of a namespace, printing each one's name, namespace and
// phase.
func podLister() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: pod-lister [-n NAMESPACE] [-every DURATION]\n\nLists the pods of NAMESPACE (default: default) through the Kubernetes API,\nas the pod's service account, once, or again every DURATION.\n\n")
		flag.PrintDefaults()
	}
	namespace := flag.String("n", "default", "namespace to list")
	every := flag.Duration("every", 0, "list again at this interval (0: once)")
	flag.Parse()
	config, err := rest.InClusterConfig()
	if err != nil {
		log.Fatal(err)
	}
	clientset, err := kubernetes.NewForConfig(config)
	if err != nil {
		log.Fatal(err)
	}
	for {
		pods, err := clientset.CoreV1().Pods(*namespace).List(context.TODO(), metav1.ListOptions{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			if *every == 0 {
				os.Exit(1)
			}
		} else {
			for _, pod := range pods.Items {
				fmt.Printf("Name: %s, Namespace: %s, Status: %s\n", pod.Name, pod.Namespace, pod.Status.Phase)
			}
		}
		if *every == 0 {
			return
		}
		time.Sleep(*every)
	}
}
