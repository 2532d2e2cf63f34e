package zendesktest

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"
)

// ticketIDsOf reads the ticket ids the sync trigger's bodies name, in the
// order they arrived.
func ticketIDsOf(t *testing.T, rc *receiver) []int64 {
	t.Helper()
	var out []int64
	for _, r := range rc.requests() {
		var m map[string]string
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatal(err)
		}
		id, _ := strconv.ParseInt(m["ticket_id"], 10, 64)
		out = append(out, id)
	}
	return out
}

func TestDropNextDeliveries(t *testing.T) {
	f, rc, _ := hookedAccount(t)
	f.acct.DropNextDeliveries(2)
	var made []int64
	for i := range 5 {
		made = append(made, f.acct.AddTicket(Ticket{Subject: "t" + strconv.Itoa(i), RequesterID: f.endUser.ID}).ID)
	}
	waitFor(t, "three deliveries", func() bool { return len(rc.requests()) == 3 })
	time.Sleep(100 * time.Millisecond)
	if got := ticketIDsOf(t, rc); !slices.Equal(got, made[2:]) {
		t.Errorf("delivered %v, want %v", got, made[2:])
	}
	var dropped []int64
	for _, d := range f.acct.Deliveries() {
		if d.Dropped {
			dropped = append(dropped, d.TicketID)
		}
	}
	if !slices.Equal(dropped, made[:2]) {
		t.Errorf("dropped %v, want %v", dropped, made[:2])
	}
	waitFor(t, "three recorded deliveries", func() bool { return f.acct.Stats().WebhookDeliveries == 3 })
}

func TestDeliveryFaultsDuplicateDelayReorder(t *testing.T) {
	f, rc, _ := hookedAccount(t)
	f.acct.SetDeliveryFaults(DeliveryFaults{Duplicate: 1, MaxDelay: 30 * time.Millisecond, Reorder: true, Seed: 7})
	var made []int64
	// Queue a burst under one lock hold per ticket, so batches form.
	for i := range 40 {
		made = append(made, f.acct.AddTicket(Ticket{Subject: "t" + strconv.Itoa(i), RequesterID: f.endUser.ID}).ID)
	}
	waitFor(t, "every ticket twice", func() bool { return len(rc.requests()) == 80 })
	got := ticketIDsOf(t, rc)
	counts := map[int64]int{}
	for _, id := range got {
		counts[id]++
	}
	for _, id := range made {
		if counts[id] != 2 {
			t.Errorf("ticket %d delivered %d times, want 2", id, counts[id])
		}
	}
	if slices.IsSorted(got) {
		t.Error("deliveries arrived in order despite Reorder and MaxDelay")
	}
	// A delivery is recorded once its answer is back, a moment after the
	// receiver saw it.
	waitFor(t, "80 recorded deliveries", func() bool { return f.acct.Stats().WebhookDeliveries == 80 })
	dups := 0
	for _, d := range f.acct.Deliveries() {
		if d.Duplicate {
			dups++
		}
	}
	if dups != 40 {
		t.Errorf("%d deliveries marked duplicate, want 40", dups)
	}

	// The zero value turns the faults off: in order, once.
	f.acct.SetDeliveryFaults(DeliveryFaults{})
	rc.mu.Lock()
	rc.got = nil
	rc.mu.Unlock()
	made = made[:0]
	for i := range 10 {
		made = append(made, f.acct.AddTicket(Ticket{Subject: "u" + strconv.Itoa(i), RequesterID: f.endUser.ID}).ID)
	}
	waitFor(t, "ten deliveries", func() bool { return len(rc.requests()) == 10 })
	time.Sleep(50 * time.Millisecond)
	if got := ticketIDsOf(t, rc); !slices.Equal(got, made) {
		t.Errorf("without faults delivered %v, want %v", got, made)
	}
}

func TestDeliveryFaultsDropShare(t *testing.T) {
	f, rc, _ := hookedAccount(t)
	f.acct.SetDeliveryFaults(DeliveryFaults{Drop: 0.5, Seed: 3})
	for i := range 100 {
		f.acct.AddTicket(Ticket{Subject: "t" + strconv.Itoa(i), RequesterID: f.endUser.ID})
	}
	dropped := func() int {
		n := 0
		for _, d := range f.acct.Deliveries() {
			if d.Dropped {
				n++
			}
		}
		return n
	}
	waitFor(t, "every invocation accounted for", func() bool { return len(rc.requests())+dropped() == 100 })
	if n := dropped(); n < 30 || n > 70 {
		t.Errorf("%d of 100 dropped with Drop 0.5", n)
	}
}
