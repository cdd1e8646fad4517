// The smallest go-libonebot v0.7.0 implementation answering get_version and send_message,
// for `deno task load --peers`: `libob-bench-go <http port> <ws port>` on 127.0.0.1.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	libob "github.com/botuniverse/go-libonebot"
	"github.com/sirupsen/logrus"
)

func main() {
	httpPort, _ := strconv.Atoi(os.Args[1])
	wsPort, _ := strconv.Atoi(os.Args[2])
	config := &libob.Config{Comm: libob.ConfigComm{
		HTTP: []libob.ConfigCommHTTP{{Host: "127.0.0.1", Port: uint16(httpPort)}},
		WS:   []libob.ConfigCommWS{{Host: "127.0.0.1", Port: uint16(wsPort)}},
	}}
	ob := libob.NewOneBot("go-bench", &libob.Self{Platform: "bench", UserID: "bot"}, config)
	ob.Logger.SetLevel(logrus.WarnLevel) // the default (Info) logs every action

	var lastID uint64
	mux := libob.NewActionMux()
	mux.HandleFunc(libob.ActionGetVersion, func(w libob.ResponseWriter, r *libob.Request) {
		w.WriteData(map[string]interface{}{
			"impl": "go-bench", "version": libob.Version, "onebot_version": libob.OneBotVersion,
		})
	})
	mux.HandleFunc(libob.ActionSendMessage, func(w libob.ResponseWriter, r *libob.Request) {
		p := libob.NewParamGetter(w, r)
		if _, ok := p.GetString("detail_type"); !ok {
			return
		}
		if _, ok := p.GetString("user_id"); !ok {
			return
		}
		if _, ok := p.GetMessage("message"); !ok {
			return
		}
		w.WriteData(map[string]interface{}{
			"message_id": fmt.Sprint(atomic.AddUint64(&lastID, 1)),
			"time":       float64(time.Now().UnixNano()) / 1e9,
		})
	})
	ob.Handle(mux)
	fmt.Printf("listening %d %d\n", httpPort, wsPort)
	ob.Run()
}
