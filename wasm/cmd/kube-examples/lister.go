package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
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
	repeat := flag.Int("repeat", 0, "list this many times as fast as it can and print the latency (p50, p95) instead of the pods")
	flag.Parse()
	config, err := rest.InClusterConfig()
	if err != nil {
		log.Fatal(err)
	}
	if *repeat > 0 {
		// client-go's own rate limit (5 requests/s after a burst of 10) would be what is timed.
		config.QPS, config.Burst = 1000, 1000
	}
	clientset, err := kubernetes.NewForConfig(config)
	if err != nil {
		log.Fatal(err)
	}
	if *repeat > 0 {
		timeLists(clientset, *namespace, *repeat)
		return
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

// timeLists lists the pods n times and prints how long a List took.
func timeLists(clientset *kubernetes.Clientset, namespace string, n int) {
	took := make([]time.Duration, 0, n)
	count := 0
	for i := 0; i < n; i++ {
		start := time.Now()
		pods, err := clientset.CoreV1().Pods(namespace).List(context.TODO(), metav1.ListOptions{})
		if err != nil {
			log.Fatal(err)
		}
		took = append(took, time.Since(start))
		count = len(pods.Items)
	}
	slices.Sort(took)
	fmt.Printf("%d lists of %d pods: first %s, p50 %s, p95 %s\n", n, count, took[len(took)-1].Round(time.Microsecond), took[len(took)/2].Round(time.Microsecond), took[len(took)*95/100].Round(time.Microsecond))
}
