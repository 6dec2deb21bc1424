import { describe, expect, it } from 'vitest';
import {
  createRequest,
  createResponse,
  Dialog,
  dialogIdOfRequest,
  dialogIdOfResponse,
  dialogKey,
  formatUri,
  nameAddr,
  parseUri,
  type SipRequest,
  SipStackError,
} from '../src/index.js';

function invite(): SipRequest {
  const request = createRequest({
    method: 'INVITE',
    uri: 'sip:1002@acme.example',
    from: 'sip:1001@acme.example',
    fromTag: 'a1',
    callId: 'call-7',
    cseq: 10,
    contact: 'sip:1001@192.0.2.10:5060',
  });
  request.prependHeader('Via', 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKd1');
  request.appendHeader('Record-Route', '<sip:p1.example;lr>, <sip:p2.example;lr>');
  return request;
}

function answer(request: SipRequest, status = 200) {
  return createResponse(request, status, {
    toTag: 'b2',
    headers: [
      ['Contact', '<sip:1002@192.0.2.20:5070>'],
      ['Record-Route', '<sip:p1.example;lr>, <sip:p2.example;lr>'],
    ],
  });
}

describe('dialogs (RFC 3261 §12)', () => {
  it('builds the UAC dialog from a 2xx: reversed route set, remote target, next CSeq', () => {
    const request = invite();
    const dialog = Dialog.fromUacResponse(request, answer(request));
    expect(dialog.id).toEqual({ callId: 'call-7', localTag: 'a1', remoteTag: 'b2' });
    expect(dialog.state).toBe('confirmed');
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p2.example;lr', 'sip:p1.example;lr']);
    const bye = dialog.createRequest('BYE');
    expect(bye.uriText).toBe('sip:1002@192.0.2.20:5070');
    expect(bye.headerValues('route')).toEqual(['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    expect(bye.cseq).toEqual({ seq: 11, method: 'BYE' });
    expect(bye.fromTag).toBe('a1');
    expect(bye.toTag).toBe('b2');
    const ack = dialog.createAck(10);
    expect(ack.cseq).toEqual({ seq: 10, method: 'ACK' });
    expect(dialog.localSeq).toBe(11);
    expect(dialogKey(dialogIdOfResponse(answer(request))!)).toBe(dialogKey(dialog.id));
  });

  it('builds the UAS dialog from the request and follows its CSeq and target refreshes', () => {
    const request = invite();
    const dialog = Dialog.fromUasRequest(request, 'b2', {
      localContact: nameAddr({ uri: parseUri('sip:pbx@192.0.2.1') }),
    });
    expect(dialog.routeSet.map((r) => formatUri(r.uri))).toEqual(['sip:p1.example;lr', 'sip:p2.example;lr']);
    expect(dialog.remoteSeq).toBe(10);
    const reinvite = createRequest({
      method: 'INVITE',
      uri: 'sip:pbx@192.0.2.1',
      from: 'sip:1001@acme.example',
      fromTag: 'a1',
      to: 'sip:1002@acme.example',
      callId: 'call-7',
      cseq: 11,
      contact: 'sip:1001@198.51.100.9:5099',
    });
    reinvite.setHeader('To', '<sip:1002@acme.example>;tag=b2');
    expect(dialogIdOfRequest(reinvite)).toEqual(dialog.id);
    expect(dialog.receiveRequest(reinvite)).toEqual({ accept: true });
    expect(formatUri(dialog.remoteTarget)).toBe('sip:1001@198.51.100.9:5099');
    expect(dialog.receiveRequest(reinvite)).toEqual({
      accept: false,
      status: 500,
      reason: 'CSeq out of order',
    });
    const notify = dialog.createRequest('NOTIFY');
    expect(notify.header('contact')).toBe('<sip:pbx@192.0.2.1>');
    expect(notify.uriText).toBe('sip:1001@198.51.100.9:5099');
  });

  it('uses strict routing when the first route has no lr (RFC 2543 next hop)', () => {
    const request = invite();
    const response = answer(request);
    response.setHeader('Record-Route', '<sip:strict.example>');
    const dialog = Dialog.fromUacResponse(request, response);
    const bye = dialog.createRequest('BYE');
    expect(bye.uriText).toBe('sip:strict.example');
    expect(bye.headerValues('route')).toEqual(['<sip:1002@192.0.2.20:5070>']);
  });

  it('starts early on a 1xx with a tag and confirms on the 2xx', () => {
    const request = invite();
    const early = Dialog.fromUacResponse(request, answer(request, 180));
    expect(early.state).toBe('early');
    early.confirm(answer(request));
    expect(early.state).toBe('confirmed');
    early.terminate();
    expect(() => early.createRequest('BYE')).toThrow(SipStackError);
    expect(() => Dialog.fromUacResponse(request, createResponse(request, 200))).toThrow(/To tag/);
  });
});
