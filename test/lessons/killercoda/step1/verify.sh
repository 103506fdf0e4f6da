#!/bin/bash
set -e

kubectl get pod my-pod
kubectl get pod my-pod -o jsonpath={.spec.containers[0].image} | grep -q podplay/hello
