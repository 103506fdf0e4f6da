module example.com/web-app

go 1.22
