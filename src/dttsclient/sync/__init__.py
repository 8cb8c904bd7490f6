"""dttsclient.sync"""
