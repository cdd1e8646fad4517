module libob.bench/go-libonebot

go 1.18

require (
	github.com/botuniverse/go-libonebot v0.7.0
	github.com/sirupsen/logrus v1.8.1
)

require (
	github.com/google/uuid v1.3.0 // indirect
	github.com/gorilla/websocket v1.5.0 // indirect
	github.com/mitchellh/mapstructure v1.5.0 // indirect
	github.com/tevino/abool/v2 v2.1.0 // indirect
	github.com/tidwall/gjson v1.14.1 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.0 // indirect
	github.com/vmihailenco/msgpack/v5 v5.3.5 // indirect
	github.com/vmihailenco/tagparser/v2 v2.0.0 // indirect
	golang.org/x/sys v0.0.0-20220627191245-f75cf1eec38b // indirect
)
