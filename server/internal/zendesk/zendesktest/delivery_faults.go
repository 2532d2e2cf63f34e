package zendesktest

import (
	"math/rand/v2"
	"time"
)

// DeliveryFaults make webhook deliveries misbehave the ways a real
// network and Zendesk's at-least-once delivery do, so a receiver can be
// tested for "nothing lost, nothing doubled".
type DeliveryFaults struct {
	// Drop and Duplicate are the shares (0 to 1) of invocations never sent
	// and sent twice (the copy with a new invocation id).
	Drop, Duplicate float64
	// MaxDelay holds each invocation back a random time up to MaxDelay.
	// Delayed invocations are sent concurrently, so they can overtake one
	// another.
	MaxDelay time.Duration
	// Reorder sends each batch of queued invocations in random order.
	Reorder bool
	// Seed makes the random choices repeatable; 0 picks a random seed.
	Seed uint64
}

// SetDeliveryFaults applies faults to every webhook invocation from now
// on; the zero value turns them off.
func (a *Account) SetDeliveryFaults(f DeliveryFaults) {
	seed := f.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults = f
	a.faultRand = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// DropNextDeliveries makes the next n webhook invocations vanish, as a
// lost request would. They show in Deliveries with Dropped set.
func (a *Account) DropNextDeliveries(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.dropNext = n
}

// scheduled is an invocation with how the faults send it.
type scheduled struct {
	invocation
	delay time.Duration
	async bool
}

// applyFaults decides, for a batch taken from a webhook's queue, what is
// dropped, doubled, delayed and reordered.
func (a *Account) applyFaults(wh *webhook, batch []invocation) []scheduled {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, r := a.faults, a.faultRand
	out := make([]scheduled, 0, len(batch))
	for _, inv := range batch {
		if a.dropNext > 0 || (r != nil && f.Drop > 0 && r.Float64() < f.Drop) {
			if a.dropNext > 0 {
				a.dropNext--
			}
			a.deliveries = append(a.deliveries, Delivery{WebhookID: wh.id, EventID: inv.eventID, EventType: inv.eventType,
				TriggerID: inv.triggerID, TicketID: inv.ticketID, Body: inv.body, Dropped: true, At: a.now()})
			continue
		}
		copies := 1
		if r != nil && f.Duplicate > 0 && r.Float64() < f.Duplicate {
			copies = 2
		}
		for i := range copies {
			s := scheduled{invocation: inv, async: f.Reorder || f.MaxDelay > 0}
			s.duplicate = i > 0
			if r != nil && f.MaxDelay > 0 {
				s.delay = time.Duration(r.Int64N(int64(f.MaxDelay) + 1))
			}
			out = append(out, s)
		}
	}
	if r != nil && f.Reorder {
		r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}
