"""dttsclient.store"""
