package main

import (
	"context"
	"log/slog"

	"github.com/gopherstack/serverless-arch/functions/mailer/settings"
)

// The held-mail metric, in CloudWatch embedded metric format (EMF): a log
// line whose "_aws" member tells CloudWatch Logs to turn the HeldMails
// member into a metric datapoint. Writing it needs no IAM grant and no API
// call that could fail or slow the batch down; the WelcomeMailer component
// alarms on the metric (settings.MetricsNamespace and
// settings.HeldMailsMetric).
//
// Each held mail is a datapoint of 1. The alarm keeps its state while no
// datapoints arrive, so it stays on while mails wait in the ledger, and a
// re-drive that leaves none held writes a datapoint of 0, which turns it
// off.

// heldMetric logs one held mail as an EMF datapoint, with the function's
// name as the only dimension.
func (h *Handler) heldMetric(log *slog.Logger) {
	h.emitHeld(log, slog.LevelWarn, "welcome mail held: SES refused for a reason of the account (sandbox, unverified identity, "+
		"paused or suspended sending); re-drive with {\"redrive\":\"ledger\"} once it is resolved", 1)
}

// emitHeld writes the datapoint n of HeldMails in a log line.
func (h *Handler) emitHeld(log *slog.Logger, level slog.Level, msg string, n int) {
	name := h.FunctionName
	if name == "" {
		name = "unknown"
	}
	log.Log(context.Background(), level, msg,
		"_aws", map[string]any{
			"Timestamp": h.now().UnixMilli(),
			"CloudWatchMetrics": []map[string]any{{
				"Namespace":  settings.MetricsNamespace,
				"Dimensions": [][]string{{"FunctionName"}},
				"Metrics":    []map[string]string{{"Name": settings.HeldMailsMetric, "Unit": "Count"}},
			}},
		},
		"FunctionName", name,
		settings.HeldMailsMetric, n,
	)
}
